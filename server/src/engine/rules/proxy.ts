// The proxy and NO_PROXY rules (rules.md "Proxy and NO_PROXY"). Env sets come from
// proxy/discover.ts (by shape, anywhere in the file); NO_PROXY matching from noproxy/ (one
// matcher per runtime). Per env set: the proxy URLs (url-invalid, credentials-inline), the
// upper/lower case forms (env-case), the NO_PROXY entries (ineffective, wildcard, redundant),
// and whether NO_PROXY covers every required destination (absent, missing). Per file: the
// cluster profile (profile-unknown), env sets left without the proxy (component-missing), and
// NO_PROXY values that differ between env sets (no-proxy-differs).
import * as nodePath from 'node:path';
import { isMap, isScalar } from 'yaml';
import { CONFIG_FILE_NAMES } from '../config';
import type { Scalar, ValuesDocument, YAMLMap } from '../document';
import { effectiveStack } from '../layers';
import { appendEntries, listDialects, parseNoProxy, NoProxyChecker, type Dialect } from '../noproxy';
import { PRESETS, type Distribution } from '../config/presets';
import { Commands } from '../../protocol';
import { knowledgeOf, type ChartKnowledge, type Placed, type ProxyKeyFacts } from '../knowledge';
import { analyzeProxies, noProxyReadings, type NoProxyReading, type ProxyAnalysis, type SetAnalysis } from '../proxy/analyze';
import { computeMissing, type MissingItem } from '../proxy/missing';
import { isProxied, type EnvSet, type ProxyVar } from '../proxy/discover';
import { addVarsEdit, copyVarsEdit, keyRefOf, setDistributionEdit, type NewVar } from '../proxy/edits';
import { checkEntries, code } from './proxy-entries';
import { blockKeyRole, envVarRole, normalizeKey, vendorBlockKeyRole, vendorVarRole, type VendorProxy } from '../proxy/names';
import { carriesUrlCredential, checkProxyUrl, isCredentialValue, parseProxyUrl, redactProxyUrl } from '../proxy/proxy-url';
import { setScalarValueEdit, valuePartRange } from '../edits/scalar';
import type { Fix, Range, RelatedLocation, TextEdit } from '../types';
export { PROXY_RULE_INFO } from './catalog';
import type { LintContext, RuleModule } from './types';
import { HEADLINE_MAX, clip, firstFitting, fitList, plural, sentence } from '../wording';


/** The client command that writes the cluster profile (quick pick of a distribution, CIDR input box). */
export const SET_CLUSTER_PROFILE_COMMAND = Commands.setClusterProfile;

/** Short names for fix titles ("Add GKE defaults: …"). */
const SHORT_LABEL: Record<Exclude<Distribution, 'custom'>, string> = {
  eks: 'EKS',
  gke: 'GKE',
  'aks-kubenet': 'AKS kubenet',
  'aks-azure-cni': 'AKS Azure CNI',
  'aks-azure-cni-overlay': 'AKS Azure CNI Overlay',
  openshift: 'OpenShift',
  kubeadm: 'kubeadm',
  k3s: 'k3s',
  rke2: 'RKE2',
  kind: 'kind',
  minikube: 'minikube',
  microk8s: 'MicroK8s',
};


/**
 * The Secret a fix points a credential at when the values name none: the user creates it (the
 * fix title says so), which is why such fixes are never safe.
 */
const PROXY_SECRET = 'proxy-credentials';

/** The values path of a variable's value: `[...set, 3, 'value']` in a list, `[...set, NAME]` in a map. */
function valuePathOf(set: EnvSet, v: ProxyVar): Array<string | number> {
  if (set.kind === 'list') return [...set.path, (set.node.items as unknown[]).indexOf(v.item), 'value'];
  return [...set.path, v.name];
}

/** Whether a variable's inline value is a credential: a URL password, a secret-looking name, or the chart says so. */
function isCredentialVar(knowledge: ChartKnowledge, set: EnvSet, v: ProxyVar): boolean {
  if (v.source !== 'value') return false;
  return isCredentialValue(v.value, { name: v.name, isSecret: () => !knowledge.empty && knowledge.isSecret(valuePathOf(set, v)) });
}

/** A fix whose text turns out to carry a URL password is for the editor only, whatever the rule said. */
function guardFix(fix: Fix): Fix {
  if (fix.sensitive || !fix.edits.some((e) => carriesUrlCredential(e.newText))) return fix;
  return { ...fix, safe: false, sensitive: true };
}

function secretRef(name: string): NewVar {
  return { name, valueFrom: { kind: 'secretKeyRef', name: PROXY_SECRET, key: name.toLowerCase() } };
}

function rangeOfVar(doc: ValuesDocument, v: ProxyVar): Range {
  return v.valueNode && v.valueNode.range && v.valueNode.range[0] !== v.valueNode.range[1] ? doc.rangeOf(v.valueNode) : doc.rangeOf(v.nameNode);
}

function setLabel(set: EnvSet): string {
  return set.path.length ? code(set.pathText) : 'the top-level keys';
}

function lineOf(doc: ValuesDocument, node: { range?: [number, number, number] | null }): number {
  return doc.rangeOf(node).start.line + 1;
}

/** The name a new NO_PROXY variable gets in a set: the case (or key convention) of its proxy variables. */
function noProxyNames(set: EnvSet): string[] {
  const proxies = set.vars.filter((v) => v.role !== 'no');
  // Only a vendor's variables: its own NO_PROXY (DD_PROXY_NO_PROXY), which its agent reads first.
  const vendor = proxies.find((v) => v.vendor?.noProxyName);
  if (vendor && proxies.every((v) => v.vendor)) return [vendor.vendor!.noProxyName!];
  if (set.kind !== 'block') {
    const upper = proxies.some((v) => v.case === 'upper');
    const lower = proxies.some((v) => v.case === 'lower');
    if (upper && lower) return ['NO_PROXY', 'no_proxy'];
    return [lower ? 'no_proxy' : 'NO_PROXY'];
  }
  const sample = proxies.find((v) => blockKeyRole(v.name))?.name ?? '';
  if (/^[A-Z0-9_]+$/.test(sample) && sample.includes('_')) return ['NO_PROXY'];
  if (sample.includes('_')) return ['no_proxy'];
  if (sample.includes('-')) return ['no-proxy'];
  return ['noProxy'];
}

export const proxyRules: RuleModule = {
  name: 'proxy',
  check(ctx: LintContext) {
    const doc = ctx.doc;
    if (!doc.root) return;
    const knowledge = knowledgeOf(ctx);
    const analysis = analyzeProxies(doc, ctx.config, knowledge.empty ? undefined : knowledge);
    if (analysis.sets.length === 0) return;
    const lower = lowerLayerLookup(ctx);
    for (const sa of analysis.sets) checkSet(ctx, analysis, sa, lower, knowledge);
    profileUnknown(ctx, analysis, knowledge);
    componentMissing(ctx, analysis, knowledge);
    noProxyDiffers(ctx, analysis);
  },
};

// ------------------------------------------------------------------ per env set

function checkSet(ctx: LintContext, analysis: ProxyAnalysis, sa: SetAnalysis, lower: LowerLookup, knowledge: ChartKnowledge): void {
  const doc = ctx.doc;
  const { set } = sa;
  if (sa.proxied) for (const v of set.vars) if (v.role !== 'no') checkProxyVar(ctx, sa, v);
  envCase(ctx, sa, knowledge);
  const readings = readingsOf(sa);
  for (const reading of readings) {
    if (reading.value === undefined || !reading.v.valueNode || reading.value === '') continue;
    const dialects = reading.dialects.length ? reading.dialects : sa.dialects;
    // A rewrite that adds an entry (`.svc` → `.svc,.cluster.local`) keeps a space-separated list so.
    const spaced = reading.v.vendor?.separator === ' ' && !reading.value.includes(',');
    checkEntries({
      doc,
      v: reading.v,
      value: reading.value,
      checker: new NoProxyChecker(readText(reading.v.vendor, reading.value), dialects),
      dialects,
      clusterDomain: ctx.config.cluster.clusterDomain.replace(/^\.+|\.+$/g, '') || 'cluster.local',
      report: (f) => ctx.report(spaced ? { ...f, fixes: f.fixes?.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, newText: e.newText.replace(/,/g, ' ') })) })) } : f),
    });
  }
  if (!sa.proxied) return;
  // The SUSE Observability agent's STS_PROXY_* carry its connection to StackState only: nothing in the cluster goes through them.
  if (!needsNoProxy(set)) return;
  const chartKey = chartProxyKey(knowledge, set);
  if (chartKey && chartKey.facts.noProxy === null) {
    noProxyUnsupported(ctx, sa, chartKey);
    return;
  }
  if (readings.length === 0) {
    const inherited = set.kind !== 'list' ? lower(set) : undefined;
    if (inherited) missingInherited(ctx, analysis, sa, inherited);
    else absent(ctx, analysis, sa);
    return;
  }
  // Upper and lower case with the same value are fixed together, so that they stay equal.
  const handled = new Set<ProxyVar>();
  for (const reading of readings) {
    if (handled.has(reading.v) || reading.value === undefined || reading.dialects.length === 0) continue;
    const twins = readings.filter((r) => r.value === reading.value && r.v.vendor?.separator === reading.v.vendor?.separator);
    const dialects = [...new Set(twins.flatMap((r) => r.dialects))];
    for (const t of twins) handled.add(t.v);
    missing(ctx, analysis, sa, reading.v, reading.value, dialects, twins.map((t) => t.v));
  }
}

function checkProxyVar(ctx: LintContext, sa: SetAnalysis, v: ProxyVar): void {
  const doc = ctx.doc;
  if (v.source !== 'value' || v.value === undefined || v.value.trim() === '' || !v.valueNode) return;
  const lead = v.value.length - v.value.trimStart().length;
  const partRange = (start?: number, end?: number) =>
    start !== undefined && end !== undefined && end > start ? valuePartRange(doc, v.valueNode!, lead + start, lead + end) : doc.rangeOf(v.valueNode);
  for (const p of checkProxyUrl(v.value, v.vendor?.dialect ? [v.vendor.dialect] : sa.dialects)) {
    ctx.report({ code: 'proxy/url-invalid', severity: p.severity, message: clip(`${v.name} ${p.message}`), detail: p.detail, range: partRange(p.start, p.end) });
  }
  const u = parseProxyUrl(v.value);
  if (u?.userinfo?.hasPassword) {
    const where = v.literal ? 'keep the URL in a Secret (valueFrom.secretKeyRef)' : "use the chart's proxy Secret option or --set from a secret store";
    // On the variable's name: VS Code's link underline would hide a finding on the URL itself.
    ctx.report({
      code: 'proxy/credentials-inline',
      message: `${v.name} has a password in the values file: ${where}`,
      detail: `Anyone who can read the file or the release (helm get values) can read it: ${redactProxyUrl(v.value)}.`,
      range: doc.rangeOf(v.nameNode),
      related: [{ path: doc.path, range: partRange(u.userinfo.start, u.userinfo.end), message: 'the user name and password in the URL' }],
    });
  }
}

function envCase(ctx: LintContext, sa: SetAnalysis, knowledge: ChartKnowledge): void {
  const doc = ctx.doc;
  const { set } = sa;
  if (set.kind === 'block') return;
  const shown = (v: ProxyVar): string => {
    if (v.source === 'valueFrom') return 'from a secret or config map';
    const value = v.value ?? '';
    return code(v.role === 'no' ? value : redactProxyUrl(value)) + (value === '' ? ' (empty)' : '');
  };
  for (const role of ['http', 'https', 'no'] as const) {
    const upper = set.vars.find((v) => v.role === role && v.case === 'upper');
    const lower = set.vars.find((v) => v.role === role && v.case === 'lower');
    if (upper && lower) {
      const uv = upper.source === 'valueFrom' ? undefined : upper.value ?? '';
      const lv = lower.source === 'valueFrom' ? undefined : lower.value ?? '';
      if (uv === undefined || lv === undefined || uv === lv) continue;
      const [first, second] = set.vars.indexOf(upper) < set.vars.indexOf(lower) ? [upper, lower] : [lower, upper];
      const readers = role === 'no' ? 'Go reads NO_PROXY first; curl, Python and Node.js read no_proxy first (an empty one wins)' : `Go reads ${upper.name} first; curl, Python and Node.js read ${lower.name} first`;
      const fixes: Fix[] = [];
      for (const [target, source] of [[second, first], [first, second]] as const) {
        if (target.valueNode && source.value !== undefined) {
          const fix: Fix = { title: `Set ${target.name} to the value of ${source.name}`, edits: [setScalarValueEdit(doc, target.valueNode, source.value, target.inFlow)], safe: false };
          // The value carries a credential: the editor may write it, no report may show it.
          fixes.push(isCredentialVar(knowledge, set, source) ? { ...fix, sensitive: true } : guardFix(fix));
        }
      }
      ctx.report({
        code: 'proxy/env-case',
        message: clip(`${lower.name} and ${upper.name} differ in ${setLabel(set)}: set both to the same value`),
        detail: `${lower.name} is ${shown(lower)}, ${upper.name} is ${shown(upper)}. ${readers}, so the runtimes use different settings.`,
        range: rangeOfVar(doc, second),
        related: [{ path: doc.path, range: rangeOfVar(doc, first), message: `${first.name} is set here` }],
        fixes,
      });
    }
  }
  const httpUpper = set.vars.find((v) => v.role === 'http' && v.case === 'upper');
  const httpLower = set.vars.find((v) => v.role === 'http' && v.case === 'lower');
  if (httpUpper && !httpLower && sa.dialects.includes('curl') && (httpUpper.source === 'valueFrom' || (httpUpper.value ?? '').trim() !== '')) {
    const fixes: Fix[] = [];
    if (httpUpper.source === 'value' && httpUpper.value !== undefined) {
      const edit = addVarsEdit(doc, set, [{ name: 'http_proxy', value: httpUpper.value }], httpUpper);
      if (isCredentialVar(knowledge, set, httpUpper)) {
        // Never spread the password: prefer a reference to a Secret (lists only), and offer the
        // copy of the value in the editor only.
        const ref = set.kind === 'list' ? addVarsEdit(doc, set, [secretRef('http_proxy')], httpUpper) : undefined;
        if (ref) fixes.push({ title: `Add http_proxy from key http_proxy of the Secret ${PROXY_SECRET} (create the Secret ${PROXY_SECRET} first)`, edits: [ref], safe: false, preferred: true });
        if (edit) fixes.push({ title: 'Add http_proxy with the same value', edits: [edit], safe: false, sensitive: true, ...(ref ? {} : { preferred: true }) });
      } else if (edit) fixes.push(guardFix({ title: 'Add http_proxy with the same value', edits: [edit], safe: false, preferred: true }));
    } else if (httpUpper.source === 'valueFrom' && set.kind === 'list') {
      // The same reference as HTTP_PROXY: no value is copied.
      const ref = keyRefOf(httpUpper);
      const edit = ref ? addVarsEdit(doc, set, [{ name: 'http_proxy', valueFrom: ref }], httpUpper) : undefined;
      if (edit) fixes.push({ title: `Add http_proxy from the same ${ref!.kind} as ${httpUpper.name}`, edits: [edit], safe: false, preferred: true });
    }
    ctx.report({
      code: 'proxy/env-case',
      message: clip(`Only upper-case HTTP_PROXY is set in ${setLabel(set)}: add http_proxy with the same value`),
      detail: 'curl never reads HTTP_PROXY (a guard against httpoxy) and sends http:// requests directly, past the proxy.',
      range: doc.rangeOf(httpUpper.nameNode),
      fixes,
    });
  }
}

// ------------------------------------------------------------------ chart proxy keys

/** The chart knowledge of a set's proxy key (`global.proxy.url`), when the chart annotates it. */
function chartProxyKey(knowledge: ChartKnowledge, set: EnvSet): Placed<ProxyKeyFacts> | undefined {
  if (knowledge.empty || set.kind !== 'block') return undefined;
  for (const v of set.vars) {
    if (v.role === 'no') continue;
    const key = knowledge.proxyKeyAt([...set.path, v.name]);
    if (key) return key;
  }
  return undefined;
}

/** True when the chart knowledge says a set's proxy key has no NO_PROXY counterpart. */
export function lacksNoProxyKnob(knowledge: ChartKnowledge, set: EnvSet): boolean {
  return chartProxyKey(knowledge, set)?.facts.noProxy === null;
}

/**
 * A chart proxy key with no no-proxy key (annotations: `noProxy: null`). Asking for a NO_PROXY
 * the chart cannot render would be a wrong fix. When the chart renders the key as the standard
 * variables, every request of those containers (in-cluster ones too) goes to the proxy with no
 * way to exempt it: say so. When it renders a vendor variable (`STS_PROXY_HTTPS`), only the
 * vendor's own client uses the proxy, for its own endpoints, and nothing needs exempting.
 */
function noProxyUnsupported(ctx: LintContext, sa: SetAnalysis, key: Placed<ProxyKeyFacts>): void {
  const standard = key.facts.renderedAs.filter((n) => envVarRole(n) !== undefined);
  if (standard.length === 0) return;
  const proxyVar = sa.set.vars.find((v) => v.role !== 'no')!;
  const components = key.facts.components?.length ? key.facts.components.join(', ') : 'the chart\'s containers';
  const source = key.facts.source ? ` (${key.facts.source})` : '';
  ctx.report({
    code: 'proxy/no-proxy-unsupported',
    message: clip(`${sa.set.pathText}.${proxyVar.name} becomes ${standard.join(' and ')} with no NO_PROXY setting: in-cluster requests go to the proxy`),
    detail: `The chart renders it in ${components} and has no NO_PROXY setting${source}: their in-cluster requests (the API server, Services, pod IPs, the metadata endpoint) go to the proxy too and cannot be exempted. Make sure the proxy can reach them, or pass NO_PROXY through the chart's extra env if it has one.`,
    range: ctx.doc.rangeOf(proxyVar.nameNode),
  });
}

// ------------------------------------------------------------------ NO_PROXY coverage

/**
 * The wording of a NO_PROXY that misses required destinations: the headline names the entries
 * to append; the detail says where and why; one related row per destination, on the entry that
 * looks as if it covered it (`.svc`) or else on the variable.
 */
function missingFinding(
  items: MissingItem[],
  entries: string[],
  notes: string[],
  name: string,
  where: string,
  rowAt: (item: MissingItem) => Pick<RelatedLocation, 'path' | 'range'>,
  entryAt?: (miss: MissingItem['nearMisses'][number]) => Range | undefined,
): { message: string; detail: string; related: RelatedLocation[] } {
  const n = items.length;
  const lead = `${name} misses ${plural(n, 'destination')}`;
  const message = entries.length ? fitList(`${lead}: append `, entries.map(code), HEADLINE_MAX) : clip(`${lead}, and no entry can cover ${n === 1 ? 'it' : 'them'}`);
  // One sentence per destination: what it is, why it must bypass the proxy, and why an entry
  // that looks as if it covered it does not.
  let detail = `${where}: requests to ${n === 1 ? 'it go' : 'them go'} to the proxy. ${items.map((i) => `${sentence(i.text)}.`).join(' ')}`;
  if (entries.length) detail += ` Append ${entries.join(', ')}.`;
  if (notes.length) detail += ` No entry can fix: ${notes.slice(0, 3).join('; ')}.`;
  const related: RelatedLocation[] = [];
  for (const item of items.slice(0, 20)) {
    const miss = item.nearMisses.find((m) => entryAt?.(m));
    if (miss) related.push({ path: rowAt(item).path, range: entryAt!(miss)!, message: `${miss.why} (${item.r.label})` });
    else related.push({ ...rowAt(item), message: `missing: ${item.text}` });
  }
  return { message, detail, related };
}


function missing(ctx: LintContext, analysis: ProxyAnalysis, sa: SetAnalysis, v: ProxyVar, value: string, dialects: Dialect[], twins: ProxyVar[]): void {
  if (dialects.length === 0) return;
  const domain = ctx.config.cluster.clusterDomain;
  const { items, entries, notes } = computeMissing(readText(v.vendor, value), dialects, analysis.required, domain);
  if (items.length === 0) return;
  const fixes: Fix[] = [];
  const next = appendFor(v.vendor, value, entries);
  if (entries.length && next !== value) {
    const edits = twins.filter((t) => t.valueNode).map((t) => setScalarValueEdit(ctx.doc, t.valueNode!, next, t.inFlow));
    if (edits.length) fixes.push({ title: `Append ${entries.join(v.vendor?.separator ?? ',')} to ${v.name}`, edits, safe: true, preferred: true });
  }
  const who = v.vendor?.reader ? ` (read by ${v.vendor.reader}${v.vendor.dialect ? `, which matches it as ${listDialects([v.vendor.dialect])} does` : ''})` : dialects.length === sa.dialects.length ? '' : ` (read by ${listDialects(dialects)})`;
  const doc = ctx.doc;
  const wording = missingFinding(
    items,
    entries,
    notes,
    v.name,
    `${v.name}${who} in ${setLabel(sa.set)}`,
    () => ({ path: doc.path, range: rangeOfVar(doc, v) }),
    (m) => (v.valueNode && m.end > m.start ? valuePartRange(doc, v.valueNode, m.start, m.end) : undefined),
  );
  // On the name: a finding over the whole value would come first in every entry's hover.
  ctx.report({ code: 'proxy/no-proxy-missing', ...wording, range: doc.rangeOf(v.nameNode), fixes });
}

function absent(ctx: LintContext, analysis: ProxyAnalysis, sa: SetAnalysis): void {
  const { set } = sa;
  const doc = ctx.doc;
  const proxyVar = set.vars.find((v) => v.role !== 'no' && !v.vendor?.backendOnly)!;
  const names = noProxyNames(set);
  // A vendor's own NO_PROXY (DD_PROXY_NO_PROXY): read in its agent's dialect, in its separator.
  const own = names.length === 1 ? vendorBlockKeyRole(names[0])?.vendor : undefined;
  const { entries, notes } = computeMissing('', own?.dialect ? [own.dialect] : sa.dialects, analysis.required, ctx.config.cluster.clusterDomain);
  const value = entries.join(own?.separator ?? ',');
  const fixes: Fix[] = [];
  const lastProxy = [...set.vars].reverse().find((v) => v.role !== 'no');
  const edit = value ? addVarsEdit(doc, set, names.map((name) => ({ name, value })), lastProxy) : undefined;
  // A chart block's key name is a guess from its siblings' convention: offered, never applied blindly.
  const certain = set.kind !== 'block' || set.vars.some((v) => blockKeyRole(v.name) !== undefined) || vendorVarRole(names[0]) !== undefined;
  if (edit) fixes.push({ title: `Add ${names.join(' and ')} with the required destinations`, edits: [edit], safe: certain, preferred: true });
  const what = set.kind === 'block' ? `the chart's proxy settings ${setLabel(set)}` : `env set ${setLabel(set)}`;
  const key = set.kind === 'block' ? `${names[0]} key` : own ? `${names[0]} or NO_PROXY` : 'NO_PROXY';
  const message = value
    ? fitList(`${proxyVar.name} is set with no ${key}: add ${names[0]} with `, entries.map(code), HEADLINE_MAX)
    : clip(`${proxyVar.name} is set with no ${key}: every in-cluster request goes to the proxy`);
  let detail = `In ${what}, every request, in-cluster ones included, goes to the proxy (Services, the API server, pod IPs, the metadata endpoint).`;
  if (value) detail += ` Add ${names[0]}: ${value}${own?.separator === ' ' ? ` (space-separated: ${own.reader ?? 'its reader'} splits it on spaces)` : ''}.`;
  if (notes.length) detail += ` No entry can fix: ${notes.slice(0, 3).join('; ')}.`;
  ctx.report({ code: 'proxy/no-proxy-absent', message, detail, range: doc.rangeOf(proxyVar.nameNode), fixes });
}

/** A chart block or env map whose NO_PROXY comes from a lower layer (the chart's values.yaml). */
function missingInherited(ctx: LintContext, analysis: ProxyAnalysis, sa: SetAnalysis, inherited: Inherited): void {
  const { set } = sa;
  const proxyVar = set.vars.find((v) => v.role !== 'no')!;
  const { items, entries, notes } = computeMissing(inherited.value, sa.dialects, analysis.required, ctx.config.cluster.clusterDomain);
  if (items.length === 0) return;
  const next = appendEntries(inherited.value, entries);
  const fixes: Fix[] = [];
  const lastProxy = [...set.vars].reverse().find((v) => v.role !== 'no');
  const edit = entries.length ? addVarsEdit(ctx.doc, set, [{ name: inherited.name, value: next }], lastProxy) : undefined;
  if (edit) fixes.push({ title: `Set ${inherited.name} here: the inherited value plus ${entries.join(',')}`, edits: [edit], safe: true, preferred: true });
  const wording = missingFinding(
    items,
    entries,
    notes,
    `${inherited.name} (from ${nodePath.basename(inherited.file)})`,
    `${inherited.name} (${code(inherited.value)}, from ${nodePath.basename(inherited.file)} line ${inherited.line})`,
    () => ({ path: inherited.file, range: inherited.range }),
  );
  ctx.report({
    code: 'proxy/no-proxy-missing',
    ...wording,
    range: ctx.doc.rangeOf(proxyVar.nameNode),
    related: [{ path: inherited.file, range: inherited.range, message: `${inherited.name} comes from this layer` }, ...wording.related],
    fixes,
  });
}

// ------------------------------------------------------------------ lower layers

interface Inherited {
  name: string;
  value: string;
  file: string;
  line: number;
  range: Range;
}

type LowerLookup = (set: EnvSet) => Inherited | undefined;

/**
 * Helm merges maps across `-f` layers, so a chart block or env map an overlay proxies keeps the
 * NO_PROXY of the layers below (harbor's `proxy.noProxy` default). Lists replace each other and
 * are never looked up.
 */
function lowerLayerLookup(ctx: LintContext): LowerLookup {
  let lowerDocs: ValuesDocument[] | undefined;
  const docs = (): ValuesDocument[] => {
    lowerDocs ??= effectiveStack(ctx.doc, ctx.config, ctx).docs.slice(0, -1).reverse();
    return lowerDocs;
  };
  return (set) => {
    for (const d of docs()) {
      const loc = d.locate(set.path);
      if (!loc || !isMap(loc.node)) continue;
      for (const p of (loc.node as YAMLMap).items) {
        if (!isScalar(p.key)) continue;
        const name = String((p.key as Scalar).value);
        const role = set.kind === 'block' ? blockKeyRole(name) : envVarRole(name)?.role;
        if (role !== 'no') continue;
        if (!isScalar(p.value) || typeof (p.value as Scalar).value !== 'string') return undefined;
        const range = d.rangeOf(p.value as Scalar);
        return { name, value: (p.value as Scalar).value as string, file: d.path, line: range.start.line + 1, range };
      }
    }
    return undefined;
  };
}

// ------------------------------------------------------------------ vendor variables

/**
 * The set's NO_PROXY readings: a vendor's own NO_PROXY (DD_PROXY_NO_PROXY) is read by its agent
 * in the agent's dialect, the standard names as analyze.ts reads them. Sets without one keep
 * analyze.ts' readings as they are.
 */
function readingsOf(sa: SetAnalysis): NoProxyReading[] {
  const own = sa.set.vars.filter((v) => v.role === 'no' && v.vendor);
  if (own.length === 0) return sa.readings;
  const standard = noProxyReadings({ ...sa.set, vars: sa.set.vars.filter((v) => !v.vendor) }, sa.dialects);
  const vendor = own.map((v) => ({ v, value: v.source === 'value' ? v.value : v.source === 'null' ? '' : undefined, dialects: v.vendor!.dialect ? [v.vendor!.dialect] : [...sa.dialects] }));
  return [...standard, ...vendor].sort((a, b) => sa.set.vars.indexOf(a.v) - sa.set.vars.indexOf(b.v));
}

/** The text the runtimes match: a space-separated list with its spaces as commas (same offsets). */
function readText(vendor: VendorProxy | undefined, value: string): string {
  return vendor?.separator === ' ' ? value.replace(/ /g, ',') : value;
}

/** Appends entries in the variable's own separator. */
function appendFor(vendor: VendorProxy | undefined, value: string, entries: readonly string[]): string {
  if (vendor?.separator !== ' ' || entries.length === 0) return appendEntries(value, entries);
  const trimmed = value.replace(/\s+$/, '');
  return (trimmed === '' ? '' : trimmed + ' ') + entries.join(' ') + value.slice(trimmed.length);
}

/** Whether the set proxies requests that can be in-cluster ones (a vendor's backend-only proxy does not). */
function needsNoProxy(set: EnvSet): boolean {
  return isProxied({ vars: set.vars.filter((v) => !v.vendor?.backendOnly) });
}

// ------------------------------------------------------------------ per file

function profileUnknown(ctx: LintContext, analysis: ProxyAnalysis, knowledge: ChartKnowledge): void {
  if (ctx.config.cluster.known) return;
  // A proxy key without a NO_PROXY counterpart has nothing the profile could check.
  const first = analysis.sets.find((s) => s.proxied && needsNoProxy(s.set) && !lacksNoProxyKnob(knowledge, s.set));
  if (!first) return;
  const v = first.set.vars.find((x) => x.role !== 'no' && !x.vendor?.backendOnly && (x.source === 'valueFrom' || (x.value ?? '').trim() !== ''))!;
  const doc = ctx.doc;
  const configPath = ctx.config.configPath;
  const suggested = configPath ?? nodePath.join(nodePath.dirname(doc.path), CONFIG_FILE_NAMES[0]);
  const configDoc = configPath ? ctx.getDocument(configPath) : undefined;
  const fixes: Fix[] = [];
  for (const preset of Object.values(PRESETS)) {
    const cidrs = [...preset.podCIDR, ...preset.serviceCIDR];
    const title = `Add ${SHORT_LABEL[preset.id as Exclude<Distribution, 'custom'>] ?? preset.label} defaults: ${cidrs.join(', ')}`;
    const args = [{ distribution: preset.id, configPath: suggested, valuesPath: doc.path }];
    const edit = configDoc ? setDistributionEdit(configDoc, preset.id) : undefined;
    if (edit) fixes.push({ title, edits: [edit], safe: false, path: configPath });
    else fixes.push({ title, edits: [], safe: false, command: { command: SET_CLUSTER_PROFILE_COMMAND, title, arguments: args } });
  }
  fixes.push({
    title: 'Set cluster network profile…',
    edits: [],
    safe: false,
    preferred: true,
    command: { command: SET_CLUSTER_PROFILE_COMMAND, title: 'Set cluster network profile…', arguments: [{ configPath: suggested, valuesPath: doc.path }] },
  });
  const others = analysis.sets.filter((s) => s.proxied && needsNoProxy(s.set)).length - 1;
  ctx.report({
    code: 'proxy/profile-unknown',
    message: `${v.name} is set but no cluster network profile is: set cluster.distribution in ${CONFIG_FILE_NAMES[0]}`,
    detail: `Without a profile, NO_PROXY cannot be checked for the pod CIDR, the service CIDR and the apiserver IP${others > 0 ? ` (here and in ${plural(others, 'more env set')})` : ''}. Set cluster.distribution, or cluster.podCIDR and cluster.serviceCIDR, in ${CONFIG_FILE_NAMES[0]}.`,
    range: doc.rangeOf(v.nameNode),
    fixes,
  });
}

/** Where the proxy is set once for the whole chart (`defaults.env`, `global.*`, a chart block): components inherit it. */
function chartWide(set: EnvSet): boolean {
  return set.kind === 'block' || set.path.some((p) => typeof p === 'string' && /^(defaults?|global|common|shared)$/.test(normalizeKey(p)));
}

function componentMissing(ctx: LintContext, analysis: ProxyAnalysis, knowledge: ChartKnowledge): void {
  const proxied = analysis.sets.filter((s) => s.proxied);
  if (proxied.length === 0 || proxied.some((s) => chartWide(s.set))) return;
  const doc = ctx.doc;
  const isInside = (inner: EnvSet, outer: EnvSet) => inner !== outer && outer.path.length < inner.path.length && outer.path.every((p, i) => inner.path[i] === p);
  for (const sa of analysis.sets) {
    const { set } = sa;
    if (sa.proxied || set.kind === 'block' || chartWide(set)) continue;
    if (set.vars.some((v) => v.role !== 'no')) continue; // sets the proxy, empty: a deliberate "no proxy here"
    const source = proxied.find((p) => p.set.kind === set.kind) ?? proxied[0];
    if (isInside(set, source.set) || isInside(source.set, set)) continue;
    // What the target already sets (its own NO_PROXY) is not copied over it.
    const items = source.set.vars.filter((v) => !set.vars.some((t) => t.name === v.name));
    const fixes: Fix[] = [];
    // A credential is never copied: an inline password becomes a reference to a Secret the user
    // creates (so the fix is not safe); valueFrom items are copied as they are.
    const replace = new Map<ProxyVar, NewVar>();
    for (const v of items) if (isCredentialVar(knowledge, source.set, v)) replace.set(v, secretRef(v.name));
    const edit = set.kind === source.set.kind ? copyVarsEdit(doc, set, source.set, items, replace) ?? undefined : undefined;
    const names = items.map((v) => v.name).join(', ');
    if (edit && replace.size) {
      const which = [...replace.keys()].map((v) => v.name).join(', ');
      fixes.push(guardFix({ title: `Copy ${names} from ${source.set.pathText}, ${which} from the Secret ${PROXY_SECRET} (create the Secret ${PROXY_SECRET} first)`, edits: [edit], safe: false, preferred: true }));
    } else if (edit) fixes.push(guardFix({ title: `Copy ${names} from ${source.set.pathText}`, edits: [edit], safe: true, preferred: true }));
    const related: RelatedLocation[] = [{ path: doc.path, range: doc.rangeOf(source.set.keyNode ?? source.set.node), message: `${source.set.pathText} sets ${names}` }];
    ctx.report({
      code: 'proxy/component-missing',
      message: firstFitting(
        `${setLabel(set)} sets no proxy: copy ${names} from ${setLabel(source.set)}`,
        `${setLabel(set)} sets no proxy: copy the proxy variables from ${setLabel(source.set)}`,
        `${setLabel(set)} sets no proxy: copy the proxy variables into it`,
      ),
      detail: `${setLabel(source.set)} (line ${lineOf(doc, source.set.keyNode ?? source.set.node)}) sets ${names}. This component's requests to the outside go direct and fail behind the firewall.`,
      range: doc.rangeOf(set.keyNode ?? set.node),
      related,
      fixes,
    });
  }
}

function noProxyDiffers(ctx: LintContext, analysis: ProxyAnalysis): void {
  const doc = ctx.doc;
  const rows = analysis.sets
    .filter((s) => s.proxied)
    .map((s) => {
      const r = readingsOf(s).find((x) => x.value !== undefined && x.v.valueNode);
      if (!r) return undefined;
      const entries = parseNoProxy(readText(r.v.vendor, r.value!)).entries.filter((e) => e.kind !== 'empty').map((e) => e.text);
      return { sa: s, v: r.v, value: r.value!, entries, keys: new Set(entries.map((e) => e.toLowerCase())) };
    })
    .filter((x): x is NonNullable<typeof x> => x !== undefined);
  if (rows.length < 2) return;
  const union: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) for (const e of row.entries) if (!seen.has(e.toLowerCase())) (seen.add(e.toLowerCase()), union.push(e));
  for (const row of rows) {
    const lacks = union.filter((e) => !row.keys.has(e.toLowerCase()));
    if (lacks.length === 0) continue;
    const others = rows.filter((o) => o !== row && lacks.some((e) => o.keys.has(e.toLowerCase())));
    const edits: TextEdit[] = [setScalarValueEdit(doc, row.v.valueNode!, appendFor(row.v.vendor, row.value, lacks), row.v.inFlow)];
    ctx.report({
      code: 'proxy/no-proxy-differs',
      message: fitList(`${row.v.name} in ${setLabel(row.sa.set)} lacks entries other env sets have: `, lacks.map(code), HEADLINE_MAX),
      detail: `It differs from the NO_PROXY of ${others.map((o) => setLabel(o.sa.set)).join(', ')}: it lacks ${lacks.slice(0, 50).map(code).join(', ')}${lacks.length > 50 ? ` and ${lacks.length - 50} more` : ''}. Components of one install usually need the same exceptions; make them equal.`,
      range: doc.rangeOf(row.v.nameNode),
      related: others.map((o) => ({ path: doc.path, range: rangeOfVar(doc, o.v), message: `${o.v.name} of ${o.sa.set.pathText}` })),
      fixes: [{ title: 'Make NO_PROXY the union of all env sets', edits, safe: false }],
    });
  }
}

export { isProxied };
