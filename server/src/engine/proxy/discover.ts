// Finds every env set of a values file by shape, in one walk of the YAML tree, and the
// in-cluster hosts its values point at (rules.md "Terms": env set).
//
// Shapes, as the corpus shows them:
// - list: a sequence of `{name, value}` / `{name, valueFrom}` items under an env key (`env`,
//   `extraEnv`, `extraEnvs`, `extraEnvVars`, `additionalEnvVars`, `additional_env_vars`,
//   `defaults.env` …), or any sequence holding such an item named HTTP(S)_PROXY / NO_PROXY;
// - map: a map of env names to scalar values under an env key (`extraEnv: {HTTPS_PROXY: …}`),
//   or one level below one (`global.extraEnv.open`);
// - block: a chart's own proxy keys, which its templates turn into env: `proxy: {httpProxy,
//   httpsProxy, noProxy}` (harbor), `operator.{httpProxy,httpsProxy,noProxy}` and `trivy.{…}`
//   (trivy-operator), top-level `http_proxy`/`https_proxy`/`no_proxy` (cert-manager), rancher's
//   top-level `proxy` (a URL) beside `noProxy`, and a map named `proxy` with `url`/`http`/`https`
//   keys (`global.proxy.url`).
//
// Look-alikes that are not egress proxies for the container's own requests, and why:
// - `serviceMonitor.proxyUrl` (kube-prometheus-stack): the proxy Prometheus uses to scrape
//   that target, a scrape setting, not the env of any container;
// - a map named `proxy` or `proxyInit` that holds an image or resources (sidecar containers):
//   it has no url/http/https scalar key;
// - `HTTP_HOST` and other HTTP_* env vars: only the six names the runtimes read count;
// - k8s-monitoring's per-destination `proxyURL` + `noProxy`: a client setting of one
//   destination (Alloy's `proxy_url`/`no_proxy`), applied only to requests to that URL. The
//   cluster-wide required destinations never go through it, so a map with a `proxyURL` key is
//   not an env set and its `noProxy` is left alone.
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Pair, Scalar, ValuesDocument, YAMLMap, YAMLSeq, YamlNode } from '../document';
import type { ValuePath } from '../types';
import { blockKeyRole, envVarRole, isEnvKey, isPerDestinationProxyKey, normalizeKey, proxyMapKeyRole, type ProxyRole } from './names';
import { inClusterHost, type InClusterHost } from './urls';

export type EnvSetKind = 'list' | 'map' | 'block';

export interface ProxyVar {
  role: ProxyRole;
  /** The name as written: `HTTPS_PROXY`, `no_proxy`, `httpsProxy`, `proxy`, `url`. */
  name: string;
  /** A literal environment variable name (lists and env maps), where case matters to runtimes. */
  literal: boolean;
  case?: 'upper' | 'lower';
  /** The string value, when it is one (numbers and booleans are not proxy values). */
  value?: string;
  /** Where the value comes from. */
  source: 'value' | 'valueFrom' | 'null' | 'other';
  /** The `name:` scalar of a list item, or the key of a map entry. */
  nameNode: Scalar;
  valueNode?: Scalar;
  /** The list item (a map) or the map entry. */
  item: YAMLMap | Pair;
  /** The value sits inside a flow collection (`{…}`, `[…]`), where plain scalars cannot hold commas. */
  inFlow: boolean;
}

export interface EnvSet {
  kind: EnvSetKind;
  path: ValuePath;
  /** `runner.additional_env_vars`, `components.agent.env`, `(root)`. */
  pathText: string;
  node: YAMLSeq | YAMLMap;
  /** The key that names the set (none for the root map). */
  keyNode?: Scalar;
  /** The map entry holding the set, for edits that replace an empty `[]`. */
  pair?: Pair;
  /** Proxy variables only, in document order. */
  vars: ProxyVar[];
  /** Items (lists) or entries (maps) of the set, proxy or not. */
  size: number;
  /** The set itself is a flow collection (`[]`, `{}`). */
  flow: boolean;
  /** Any enclosing collection is a flow collection. */
  inFlow: boolean;
}

export interface FoundHost extends InClusterHost {
  node: Scalar;
  path: ValuePath;
  /** The key (or env var name) the value sits under. */
  key: string;
}

export interface Discovery {
  sets: EnvSet[];
  hosts: FoundHost[];
}

const MAX_DEPTH = 600;

export function pathText(path: ValuePath): string {
  if (path.length === 0) return '(root)';
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

function keyText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = (node as Scalar).value;
  return v === null || v === undefined ? undefined : String(v);
}

function isScalarValued(map: YAMLMap): boolean {
  for (const pair of map.items) {
    const v = pair.value as YamlNode | null;
    if (v !== null && v !== undefined && !isScalar(v)) return false;
    if (keyText(pair.key) === '<<') return false;
  }
  return true;
}

function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof (node as Scalar).value === 'string' ? ((node as Scalar).value as string) : undefined;
}

function sourceOf(node: unknown): ProxyVar['source'] {
  if (node === null || node === undefined) return 'null';
  if (isScalar(node)) {
    const v = (node as Scalar).value;
    if (v === null || v === undefined) return 'null';
    return typeof v === 'string' ? 'value' : 'other';
  }
  return 'other';
}

/** `{name: X, value: …}` / `{name: X, valueFrom: …}` item: its name scalar and value pairs. */
function envItem(item: unknown): { name: string; nameNode: Scalar; value?: Pair; valueFrom?: Pair } | undefined {
  if (!isMap(item)) return undefined;
  let nameNode: Scalar | undefined;
  let value: Pair | undefined;
  let valueFrom: Pair | undefined;
  for (const pair of (item as YAMLMap).items) {
    const k = keyText(pair.key);
    if (k === 'name' && isScalar(pair.value)) nameNode = pair.value as Scalar;
    else if (k === 'value') value = pair as Pair;
    else if (k === 'valueFrom') valueFrom = pair as Pair;
  }
  const name = nameNode ? stringValue(nameNode) : undefined;
  if (!nameNode || name === undefined) return undefined;
  return { name, nameNode, value, valueFrom };
}

/** Tested on every key of every map: a regexp allocates nothing, `toLowerCase()` a string per key. */
const MENTIONS_PROXY = /proxy/i;

export function discoverProxySettings(doc: ValuesDocument, clusterDomain = 'cluster.local'): Discovery {
  const sets: EnvSet[] = [];
  const hosts: FoundHost[] = [];

  const addHost = (node: Scalar, key: string) => {
    const v = node.value;
    if (typeof v !== 'string' || v.length < 3) return;
    // Cheap pre-filter: a URL, or something under an address-like key.
    if (!v.includes(':') && !v.includes('.svc') && !v.includes(clusterDomain)) return;
    if (normalizeKey(key).includes('proxy')) return; // a proxy's own address never consults NO_PROXY
    const h = inClusterHost(v, key, clusterDomain);
    if (h) hosts.push({ ...h, node, path: stack.slice(), key });
  };

  const listSet = (seq: YAMLSeq, path: ValuePath, key: string | undefined, keyNode: Scalar | undefined, pair: Pair | undefined, inFlow: boolean): void => {
    const envKey = key !== undefined && isEnvKey(key);
    const vars: ProxyVar[] = [];
    let allNamed = true;
    let proxyItem = false;
    const flow = Boolean((seq as YAMLSeq & { flow?: boolean }).flow);
    for (const raw of seq.items) {
      const item = envItem(raw);
      if (!item) {
        allNamed = false;
        continue;
      }
      const r = envVarRole(item.name);
      if (!r) continue;
      const valueNode = item.value?.value as YamlNode | null | undefined;
      const source: ProxyVar['source'] = item.valueFrom ? 'valueFrom' : item.value ? sourceOf(valueNode) : 'null';
      if (item.value || item.valueFrom) proxyItem = true;
      vars.push({
        role: r.role,
        name: item.name,
        literal: true,
        case: r.case,
        value: source === 'value' ? stringValue(valueNode) : undefined,
        source,
        nameNode: item.nameNode,
        valueNode: isScalar(valueNode) ? (valueNode as Scalar) : undefined,
        item: raw as YAMLMap,
        inFlow: inFlow || flow || Boolean((raw as YAMLMap & { flow?: boolean }).flow),
      });
    }
    if ((envKey && allNamed) || proxyItem) {
      sets.push({ kind: 'list', path: path.slice(), pathText: pathText(path), node: seq, keyNode, pair, vars, size: seq.items.length, flow, inFlow });
    }
  };

  const mapSet = (map: YAMLMap, path: ValuePath, keyNode: Scalar | undefined, pair: Pair | undefined, inFlow: boolean): void => {
    const vars: ProxyVar[] = [];
    const flow = Boolean((map as YAMLMap & { flow?: boolean }).flow);
    for (const p of map.items) {
      const name = keyText(p.key);
      const r = name !== undefined ? envVarRole(name) : undefined;
      if (!r) continue;
      const source = sourceOf(p.value);
      vars.push({
        role: r.role,
        name: name!,
        literal: true,
        case: r.case,
        value: source === 'value' ? stringValue(p.value) : undefined,
        source,
        nameNode: p.key as Scalar,
        valueNode: isScalar(p.value) ? (p.value as Scalar) : undefined,
        item: p as Pair,
        inFlow: inFlow || flow,
      });
    }
    sets.push({ kind: 'map', path, pathText: pathText(path), node: map, keyNode, pair, vars, size: map.items.length, flow, inFlow });
  };

  /** A chart's proxy keys in this map, if it is a proxy block. */
  const blockSet = (map: YAMLMap, path: ValuePath, key: string | undefined, keyNode: Scalar | undefined, pair: Pair | undefined, inFlow: boolean): void => {
    let perDestination = false;
    let hasNoProxy = false;
    const candidates: Array<{ role: ProxyRole; pair: Pair; name: string }> = [];
    const namedProxy = key !== undefined && normalizeKey(key) === 'proxy';
    let proxyScalar: { pair: Pair; name: string } | undefined;
    for (const p of map.items) {
      const name = keyText(p.key);
      if (name === undefined) continue;
      // Cheap filter first: every key that matters here contains "proxy", or is url/http/https in a `proxy` map.
      if (!namedProxy && !MENTIONS_PROXY.test(name)) continue;
      if (isPerDestinationProxyKey(name)) perDestination = true;
      const v = p.value as YamlNode | null;
      if (v !== null && v !== undefined && !isScalar(v)) continue;
      const role = namedProxy ? proxyMapKeyRole(name) : blockKeyRole(name);
      if (role) {
        if (role === 'no') hasNoProxy = true;
        candidates.push({ role, pair: p as Pair, name });
      } else if (normalizeKey(name) === 'proxy' && isScalar(v)) proxyScalar = { pair: p as Pair, name };
    }
    if (perDestination) return;
    // Rancher: `proxy: http://…` beside `noProxy`; or a lone `proxy:` whose value is a URL.
    if (proxyScalar) {
      const s = stringValue(proxyScalar.pair.value);
      if (hasNoProxy || (s !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(s.trim()))) candidates.push({ role: 'both', ...proxyScalar });
    }
    if (candidates.length === 0) return;
    // A map named `proxy` needs a real proxy key, not only `http`/`https` flags (`proxy: {http: true}`).
    if (namedProxy && !candidates.some((c) => (c.role === 'no' || blockKeyRole(c.name) !== undefined || c.role === 'both' || stringValue(c.pair.value) !== undefined))) return;
    const flow = Boolean((map as YAMLMap & { flow?: boolean }).flow);
    candidates.sort((a, b) => map.items.indexOf(a.pair) - map.items.indexOf(b.pair));
    const vars: ProxyVar[] = candidates.map((c) => {
      const source = sourceOf(c.pair.value);
      return {
        role: c.role,
        name: c.name,
        literal: false,
        value: source === 'value' ? stringValue(c.pair.value) : undefined,
        source,
        nameNode: c.pair.key as Scalar,
        valueNode: isScalar(c.pair.value) ? (c.pair.value as Scalar) : undefined,
        item: c.pair,
        inFlow: inFlow || flow,
      };
    });
    sets.push({ kind: 'block', path: path.slice(), pathText: pathText(path), node: map, keyNode, pair, vars, size: map.items.length, flow, inFlow });
  };

  // One mutable path for the whole walk; copied only when a set or a host is recorded.
  const stack: ValuePath = [];
  const here = (): ValuePath => stack.slice();

  const walk = (node: unknown, key: string | undefined, keyNode: Scalar | undefined, pair: Pair | undefined, inFlow: boolean, envParent: boolean, depth: number): void => {
    if (node === null || node === undefined || depth > MAX_DEPTH || isAlias(node)) return;
    if (isMap(node)) {
      const map = node as YAMLMap;
      const flow = inFlow || Boolean((map as YAMLMap & { flow?: boolean }).flow);
      const envKey = key !== undefined && isEnvKey(key);
      const scalarValued = depth > 0 && (envKey || envParent) && isScalarValued(map);
      if (scalarValued) mapSet(map, here(), keyNode, pair, inFlow);
      else blockSet(map, stack, key, keyNode, pair, inFlow);
      // `{name: REDIS_ADDR, value: redis:6379}`: the env name says what the value is.
      let itemName: string | undefined;
      if (map.items.length <= 4) for (const p of map.items) if (keyText(p.key) === 'name') itemName = stringValue(p.value);
      for (const p of map.items) {
        const k = keyText(p.key);
        if (k === undefined || k === '<<') continue;
        const v = p.value;
        stack.push(k);
        if (isScalar(v)) addHost(v as Scalar, k === 'value' && itemName ? itemName : k);
        else walk(v, k, p.key as Scalar, p as Pair, flow, envKey && !scalarValued, depth + 1);
        stack.pop();
      }
      return;
    }
    if (isSeq(node)) {
      const seq = node as YAMLSeq;
      const flow = inFlow || Boolean((seq as YAMLSeq & { flow?: boolean }).flow);
      listSet(seq, stack, key, keyNode, pair, inFlow);
      for (let i = 0; i < seq.items.length; i++) {
        const item = seq.items[i];
        stack.push(i);
        if (isScalar(item)) addHost(item as Scalar, key ?? '');
        else walk(item, undefined, undefined, undefined, flow, false, depth + 1);
        stack.pop();
      }
    }
  };

  // The root map can be a block (cert-manager's top-level http_proxy / no_proxy) but never an env map.
  walk(doc.root, undefined, undefined, undefined, false, false, 0);
  return { sets, hosts };
}

/** Whether an env set sets HTTPS_PROXY or HTTP_PROXY (any case, or a chart's proxy key) non-empty. */
export function isProxied(set: Pick<EnvSet, 'vars'>): boolean {
  return set.vars.some((v) => v.role !== 'no' && (v.source === 'valueFrom' || (v.value !== undefined && v.value.trim() !== '')));
}

export function noProxyVars(set: Pick<EnvSet, 'vars'>): ProxyVar[] {
  return set.vars.filter((v) => v.role === 'no');
}
