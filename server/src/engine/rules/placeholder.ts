// values/placeholder: an unreplaced `<…>` token copied from docs into a values file
// (`registry: <mirror-registry>`, `https://<tenant>.app.stackstate.io`). Helm installs it
// literally and the pull or connection fails at run time, far from the file.
//
// Only where a token cannot be legitimate: in a registry, host, URL or image value, or as the
// whole value. Message templates (`alert.<severity>.<name>`), Go templates and prose keep their
// angle brackets.
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Scalar, ValuesDocument, YamlNode } from '../document';
import { PLACEHOLDER_TOKEN } from '../images/compose';
import { isImageKey } from '../images/discover';
import { replaceInScalarEdit, scalarPartRange } from '../images/edits';
import { parseMirrorRegistry } from '../images/mirror';
import type { Fix, TextEdit, ValuePath } from '../types';
import { registerRules } from './catalog';
import type { LintContext, RuleModule } from './types';

registerRules([{ id: 'values/placeholder', severity: 'error', summary: 'an unreplaced <…> placeholder in a registry, host, URL or image value' }]);

/** Keys whose values are registries, hosts, URLs or image references (`imageRegistry`, `httpsProxy`, `externalURL`, `apiUrl`). */
const HOSTISH_KEY = /(?:^|[a-z0-9_-])(?:registry|host|hostname|server|endpoint|url|uri|proxy|domain|address|addr|repository|image|dsn)$/i;
const URL_VALUE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
/** A token at the start of a host-like value: `<registry>/path`, `<tenant>.example.com`, `<proxy>:3128`. */
const HOST_LED = /^<[^<>\s]+>(?:\.[A-Za-z0-9-]+)*(?::(?:\d+|<[^<>\s]+>))?(?:\/\S*)?$/;
/** Tokens that stand for the mirror registry, replaceable from `mirror.registry`. */
const MIRROR_TOKEN = /^<[^>]*(?:mirror|registry)[^>]*>$/i;
const NOT_A_HOST_TOKEN = /user|pass|secret|token|cred|port|path|namespace|org|project|digest|tag|version/i;

export interface PlaceholderHit {
  token: string;
  /** Offset of the token in the scalar's value. */
  start: number;
  node: Scalar;
  path: ValuePath;
  context: 'image' | 'url' | 'host' | 'value';
}

function lastKey(path: ValuePath): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

/** Why a token in this value is a placeholder, or undefined when it may be legitimate text. */
function contextOf(value: string, token: string, start: number, path: ValuePath): PlaceholderHit['context'] | undefined {
  if (value.includes('{{')) return undefined; // a Go template: Helm's tpl or the app renders it
  const key = lastKey(path) ?? '';
  if (value.trim() === token) return isImageKey(key) ? 'image' : HOSTISH_KEY.test(key) ? 'host' : 'value';
  if (/\s/.test(value.trim())) return undefined; // prose, message templates
  if (isImageKey(key) || key === 'imageName') return 'image';
  if (URL_VALUE.test(value)) return 'url';
  if (start === 0 && HOST_LED.test(value)) return 'host';
  if (HOSTISH_KEY.test(key)) return 'host';
  return undefined;
}

/** Every placeholder token the rule reports, in document order. */
export function findPlaceholders(doc: ValuesDocument): PlaceholderHit[] {
  const hits: PlaceholderHit[] = [];
  const path: ValuePath = []; // one mutable path for the walk, copied for each hit
  const walk = (node: YamlNode | null | undefined, depth: number): void => {
    if (!node || depth > 600 || isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        path.push(isScalar(pair.key) ? String((pair.key as Scalar).value) : '');
        walk(pair.value as YamlNode, depth + 1);
        path.pop();
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        walk(node.items[i] as YamlNode, depth + 1);
        path.pop();
      }
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('<')) {
      const value = node.value;
      for (const m of value.matchAll(PLACEHOLDER_TOKEN)) {
        const context = contextOf(value, m[0], m.index!, path);
        if (context) hits.push({ token: m[0], start: m.index!, node: node as Scalar, path: path.slice(), context });
      }
    }
  };
  walk(doc.root, 0);
  return hits;
}

function pathText(path: ValuePath): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

const CONSEQUENCE: Record<PlaceholderHit['context'], string> = {
  image: 'the image reference is invalid and the pull fails',
  url: 'the URL has no valid host and every connection to it fails',
  host: 'that is no valid host name and pulls or connections to it fail',
  value: 'the chart gets the literal text',
};

export const placeholderRules: RuleModule = {
  name: 'placeholder',
  check(ctx: LintContext) {
    const doc = ctx.doc;
    if (!doc.root) return;
    const hits = findPlaceholders(doc);
    if (!hits.length) return;
    const mirror = ctx.config.mirror.registry ? parseMirrorRegistry(ctx.config.mirror.registry) : undefined;
    const replacement = mirror && !('ok' in mirror) ? mirror.registry : undefined;
    const replaceable = (h: PlaceholderHit) => replacement !== undefined && MIRROR_TOKEN.test(h.token) && !NOT_A_HOST_TOKEN.test(h.token.replace(/registry|mirror/gi, ''));
    const editFor = (h: PlaceholderHit): TextEdit => replaceInScalarEdit(doc, h.node, h.start, h.start + h.token.length, replacement!);
    for (const h of hits) {
      const value = String(h.node.value);
      const fixes: Fix[] = [];
      if (replaceable(h)) {
        fixes.push({ title: `Replace ${h.token} with ${replacement}`, edits: [editFor(h)], safe: true, preferred: true });
        const same = hits.filter((o) => o.token === h.token);
        if (same.length > 1) {
          // Several tokens in one scalar would produce overlapping whole-scalar edits: one edit per scalar.
          const byNode = new Map<Scalar, PlaceholderHit[]>();
          for (const o of same) byNode.set(o.node, [...(byNode.get(o.node) ?? []), o]);
          const edits: TextEdit[] = [];
          for (const [node, list] of byNode) {
            if (list.length === 1) edits.push(editFor(list[0]));
            else edits.push(replaceInScalarEdit(doc, node, 0, String(node.value).length, String(node.value).split(h.token).join(replacement!)));
          }
          fixes.push({ title: `Replace all ${same.length} ${h.token} in this file with ${replacement}`, edits, safe: true });
        }
      }
      const how = replaceable(h)
        ? `Replace it with the mirror registry ${replacement} (mirror.registry).`
        : MIRROR_TOKEN.test(h.token) && !replacement
          ? 'Replace it with your registry host (set mirror.registry in .airgap-lint.yaml to get a quick fix).'
          : 'Replace it with the real value.';
      const shown = value.length > 100 ? `${value.slice(0, 97)}...` : value;
      ctx.report({
        code: 'values/placeholder',
        message: `Unreplaced placeholder ${h.token} in ${pathText(h.path)}${shown !== h.token ? ` ("${shown}")` : ''}: Helm installs it literally, and ${CONSEQUENCE[h.context]}. ${how}`,
        range: scalarPartRange(doc, h.node, h.start, h.start + h.token.length),
        fixes,
      });
    }
  },
};
