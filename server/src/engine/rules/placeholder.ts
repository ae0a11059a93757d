// values/placeholder: an unreplaced `<…>` token copied from docs into a values file
// (`registry: <mirror-registry>`, `https://<tenant>.app.stackstate.io`). Helm installs it
// literally and the pull or connection fails at run time, far from the file.
//
// Only where a token cannot be legitimate: in a registry, host, URL or image value, or as the
// whole value. Message templates (`alert.<severity>.<name>`), Go templates and prose keep their
// angle brackets.
//
// The other conventions of real charts (`CHANGEME`, `REPLACE_ME`, `YOUR_API_KEY`, `xxx`,
// botkube's `url: 'MATTERMOST_SERVER_URL'`) are found by placeholder-conventions.ts, only in
// host, URL, registry, credential and account-id values. Their messages quote the token, never
// the value (it may sit beside a credential).
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Scalar, ValuesDocument, YamlNode } from '../document';
import { PLACEHOLDER_TOKEN } from '../images/compose';
import { isImageKey } from '../images/discover';
import { replaceInScalarEdit, valuePartRange } from '../edits/scalar';
import type { Fix, TextEdit, ValuePath } from '../types';
import { type Convention, type ConventionToken, type KeyRole, findConventionTokens } from './placeholder-conventions';
import type { LintContext, RuleModule } from './types';
import { HEADLINE_MAX, clip } from '../wording';


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
  context: 'image' | 'url' | 'host' | 'value' | 'address' | 'secret';
  /** The convention, for tokens other than `<…>`. */
  convention?: Convention;
  /** What the key says the value is (conventions other than `<…>` only). */
  role?: KeyRole;
}

const PLACE_CONTEXT: Record<ConventionToken['place'], PlaceholderHit['context']> = {
  'url-host': 'url',
  'url-part': 'address',
  host: 'host',
  'host-part': 'address',
  secret: 'secret',
  id: 'value',
};

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
  /** `roleKey`: the key that says what the value is (for `{name: WEBHOOK_URL, value: …}`, the name). */
  const walk = (node: YamlNode | null | undefined, depth: number, roleKey: string | undefined): void => {
    if (!node || depth > 600 || isAlias(node)) return;
    if (isMap(node)) {
      let envName: string | undefined;
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value === 'name' && isScalar(pair.value) && typeof pair.value.value === 'string') envName = pair.value.value;
      }
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String((pair.key as Scalar).value) : '';
        path.push(key);
        walk(pair.value as YamlNode, depth + 1, key === 'value' && envName !== undefined ? envName : key);
        path.pop();
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        walk(node.items[i] as YamlNode, depth + 1, undefined);
        path.pop();
      }
    } else if (isScalar(node) && typeof node.value === 'string') {
      const value = node.value;
      const found: PlaceholderHit[] = [];
      if (value.includes('<')) {
        for (const m of value.matchAll(PLACEHOLDER_TOKEN)) {
          const context = contextOf(value, m[0], m.index!, path);
          if (context) found.push({ token: m[0], start: m.index!, node: node as Scalar, path: path.slice(), context });
        }
      }
      const direct = roleKey !== undefined;
      for (const t of findConventionTokens(value, roleKey ?? lastKey(path), direct)) {
        found.push({ token: t.token, start: t.start, node: node as Scalar, path: path.slice(), context: PLACE_CONTEXT[t.place], convention: t.convention, role: t.role });
      }
      if (found.length > 1) found.sort((a, b) => a.start - b.start);
      hits.push(...found);
    }
  };
  walk(doc.root, 0, undefined);
  return hits;
}

function pathText(path: ValuePath): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

const CONSEQUENCE: Record<PlaceholderHit['context'], string> = {
  image: 'the image reference is not valid, so the pull fails',
  url: 'the URL has no valid host, so every connection to it fails',
  host: 'it is not a valid host name, so pulls and connections fail',
  value: 'the chart gets the literal text',
  address: 'the address is wrong, so connections fail',
  secret: 'the chart uses the literal text as the credential, so authentication fails',
};

const CONVENTION_LABEL: Record<Convention, string> = {
  CHANGEME: 'CHANGEME convention',
  REPLACE_ME: 'REPLACE_ME convention',
  YOUR_: 'YOUR_…/your-… convention',
  xxx: 'xxx convention',
  'ALL-CAPS': 'an ALL-CAPS name standing for the value',
};

/** A registry-keyed token in the host position (`registry: CHANGEME`, `CHANGEME/library`): mirror.registry may replace it. */
function registryToken(h: PlaceholderHit): boolean {
  if (h.role !== 'registry' || h.context !== 'host') return false;
  const value = String(h.node.value);
  const lead = value.length - value.trimStart().length;
  const after = value.slice(h.start + h.token.length).trimEnd();
  return h.start === lead && (after === '' || after.startsWith('/'));
}

export const placeholderRules: RuleModule = {
  name: 'placeholder',
  check(ctx: LintContext) {
    const doc = ctx.doc;
    if (!doc.root) return;
    const hits = findPlaceholders(doc);
    if (!hits.length) return;
    const replacement = ctx.config.mirror.parsed?.registry;
    const replaceable = (h: PlaceholderHit) => replacement !== undefined && MIRROR_TOKEN.test(h.token) && !NOT_A_HOST_TOKEN.test(h.token.replace(/registry|mirror/gi, ''));
    const editFor = (h: PlaceholderHit): TextEdit => replaceInScalarEdit(doc, h.node, h.start, h.start + h.token.length, replacement!);
    for (const h of hits) {
      if (h.convention) {
        reportConvention(ctx, h, replacement);
        continue;
      }
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
      const [action, how] = replaceable(h)
        ? [`replace it with ${replacement}`, `${replacement} is the mirror registry (mirror.registry).`]
        : MIRROR_TOKEN.test(h.token) && !replacement
          ? ['replace it with your registry host', 'Set mirror.registry in .airgap-lint.yaml to get a quick fix.']
          : ['replace it with the real value', ''];
      const shown = value.length > 100 ? `${value.slice(0, 97)}...` : value;
      ctx.report({
        code: 'values/placeholder',
        message: placeholderHeadline(h, action),
        detail: `${pathText(h.path)}${shown !== h.token ? ` is "${shown}"` : ` is ${h.token}`}. Helm installs it literally: ${CONSEQUENCE[h.context]}.${how ? ` ${how}` : ''}`,
        range: valuePartRange(doc, h.node, h.start, h.start + h.token.length),
        fixes,
      });
    }
  },
};

/** "Unreplaced placeholder TOKEN in PATH: ACTION", the path left out when it does not fit. */
function placeholderHeadline(h: PlaceholderHit, action: string): string {
  const token = h.token.length > 40 ? `${h.token.slice(0, 39)}…` : h.token;
  const full = `Unreplaced placeholder ${token} in ${pathText(h.path)}: ${action}`;
  return full.length <= HEADLINE_MAX ? full : clip(`Unreplaced placeholder ${token}: ${action}`);
}

/** A CHANGEME / REPLACE_ME / YOUR_ / xxx / ALL-CAPS token: the message quotes the token only. */
function reportConvention(ctx: LintContext, h: PlaceholderHit, replacement: string | undefined): void {
  const doc = ctx.doc;
  const fixes: Fix[] = [];
  let how: string;
  let action: string;
  if (registryToken(h) && replacement !== undefined) {
    // Not safe: unlike `<mirror-registry>`, nothing says this registry was meant to be the mirror.
    fixes.push({ title: `Replace ${h.token} with ${replacement}`, edits: [replaceInScalarEdit(doc, h.node, h.start, h.start + h.token.length, replacement)], safe: false, preferred: true });
    action = 'replace it with the registry the cluster pulls from';
    how = `mirror.registry is ${replacement}.`;
  } else if (h.role === 'registry') {
    action = 'replace it with your registry host';
    how = 'Set mirror.registry in .airgap-lint.yaml to get a quick fix.';
  } else if (h.context === 'secret') {
    action = "replace it with a Secret the chart reads";
    how = "A credential belongs in a Kubernetes Secret that the chart reads (its existing-Secret option), not in a values file.";
  } else {
    action = 'replace it with the real value before install';
    how = '';
  }
  ctx.report({
    code: 'values/placeholder',
    message: placeholderHeadline(h, action),
    detail: `${h.token} in ${pathText(h.path)} is a placeholder (${CONVENTION_LABEL[h.convention!]}). Helm installs it literally: ${CONSEQUENCE[h.context]}.${how ? ` ${how}` : ''}`,
    range: valuePartRange(doc, h.node, h.start, h.start + h.token.length),
    fixes,
  });
}
