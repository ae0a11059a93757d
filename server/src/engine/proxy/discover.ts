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
// Vendor variables count beside the standard names (names.ts): the Datadog Agent's
// DD_PROXY_HTTPS / DD_PROXY_HTTP / DD_PROXY_NO_PROXY (a space-separated list) and the SUSE
// Observability agent's STS_PROXY_HTTPS / STS_PROXY_HTTP in lists and env maps, and in a chart
// block also `<PREFIX>_HTTPS_PROXY` / `<PREFIX>_HTTP_PROXY` / `<PREFIX>_NO_PROXY` keys; each such
// variable carries `vendor`.
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
// - a map named `proxy` whose `url`/`http`/`https` point at a host in the cluster (`*.svc`,
//   `*.svc.<clusterDomain>`, a bare Service name) and that has no no-proxy key: a hop between
//   components of the install (an agent sending to the chart's own gateway), not the egress
//   proxy. It stays an env set, marked `internalHop`, and is never proxied. The standard env
//   names are always a forward proxy, in-cluster or not (k8s-monitoring's
//   `HTTPS_PROXY: https://myproxy.default.svc:8080`), and so are `httpProxy`-style block keys.
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Pair, Scalar, ValuesDocument, YAMLMap, YAMLSeq, YamlNode } from '../document';
import type { ValuePath } from '../types';
import { blockKeyRole, envVarRole, isEnvKey, isPerDestinationProxyKey, normalizeKey, proxyMapKeyRole, vendorBlockKeyRole, vendorVarRole, type ProxyRole, type VendorProxy } from './names';
import { inClusterHost, inClusterProxyHost, type InClusterHost } from './urls';

export type EnvSetKind = 'list' | 'map' | 'block';

export interface ProxyVar {
  role: ProxyRole;
  /** The name as written: `HTTPS_PROXY`, `no_proxy`, `httpsProxy`, `proxy`, `url`. */
  name: string;
  /** A literal environment variable name (lists and env maps, vendor keys), where case matters to runtimes. */
  literal: boolean;
  /** Standard names only: vendor names have no case twin. */
  case?: 'upper' | 'lower';
  /** A vendor's own variable (`DD_PROXY_NO_PROXY`): its prefix, NO_PROXY separator and reader. */
  vendor?: VendorProxy;
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
  /** A chart's `proxy` map pointing at a component in the cluster: not an egress proxy (see the header). */
  internalHop?: boolean;
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
      const vendor = r ? undefined : vendorVarRole(item.name);
      if (!r && !vendor) continue;
      const valueNode = item.value?.value as YamlNode | null | undefined;
      const source: ProxyVar['source'] = item.valueFrom ? 'valueFrom' : item.value ? sourceOf(valueNode) : 'null';
      if (item.value || item.valueFrom) proxyItem = true;
      vars.push({
        role: (r ?? vendor)!.role,
        name: item.name,
        literal: true,
        case: r?.case,
        value: source === 'value' ? stringValue(valueNode) : undefined,
        source,
        nameNode: item.nameNode,
        valueNode: isScalar(valueNode) ? (valueNode as Scalar) : undefined,
        item: raw as YAMLMap,
        inFlow: inFlow || flow || Boolean((raw as YAMLMap & { flow?: boolean }).flow),
        ...(vendor ? { vendor: vendor.vendor } : {}),
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
      const vendor = r || name === undefined ? undefined : vendorVarRole(name);
      if (!r && !vendor) continue;
      const source = sourceOf(p.value);
      vars.push({
        role: (r ?? vendor)!.role,
        name: name!,
        literal: true,
        case: r?.case,
        value: source === 'value' ? stringValue(p.value) : undefined,
        source,
        nameNode: p.key as Scalar,
        valueNode: isScalar(p.value) ? (p.value as Scalar) : undefined,
        item: p as Pair,
        inFlow: inFlow || flow,
        ...(vendor ? { vendor: vendor.vendor } : {}),
      });
    }
    sets.push({ kind: 'map', path, pathText: pathText(path), node: map, keyNode, pair, vars, size: map.items.length, flow, inFlow });
  };

  /** A chart's proxy keys in this map, if it is a proxy block. */
  const blockSet = (map: YAMLMap, path: ValuePath, key: string | undefined, keyNode: Scalar | undefined, pair: Pair | undefined, inFlow: boolean): void => {
    let perDestination = false;
    let hasNoProxy = false;
    const candidates: Array<{ role: ProxyRole; pair: Pair; name: string; vendor?: VendorProxy }> = [];
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
      const vendor = role ? undefined : vendorBlockKeyRole(name);
      if (role) {
        if (role === 'no') hasNoProxy = true;
        candidates.push({ role, pair: p as Pair, name });
      } else if (vendor) {
        if (vendor.role === 'no') hasNoProxy = true;
        candidates.push({ role: vendor.role, pair: p as Pair, name, vendor: vendor.vendor });
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
        literal: c.vendor !== undefined,
        value: source === 'value' ? stringValue(c.pair.value) : undefined,
        source,
        nameNode: c.pair.key as Scalar,
        valueNode: isScalar(c.pair.value) ? (c.pair.value as Scalar) : undefined,
        item: c.pair,
        inFlow: inFlow || flow,
        ...(c.vendor ? { vendor: c.vendor } : {}),
      };
    });
    const set: EnvSet = { kind: 'block', path: path.slice(), pathText: pathText(path), node: map, keyNode, pair, vars, size: map.items.length, flow, inFlow };
    if (namedProxy && !hasNoProxy && isInternalHop(vars, clusterDomain)) set.internalHop = true;
    sets.push(set);
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

/**
 * A `proxy` map's url/http/https all point at hosts in the cluster (at least one set, none from
 * elsewhere): a hop between components, not the egress proxy. Keys named like env
 * (`httpsProxy`, `HTTPS_PROXY`, vendor keys) are always a forward proxy.
 */
function isInternalHop(vars: readonly ProxyVar[], clusterDomain: string): boolean {
  let hop = false;
  for (const v of vars) {
    if (v.role === 'no') return false;
    if (v.source === 'null' || (v.source === 'value' && (v.value ?? '').trim() === '')) continue;
    const k = normalizeKey(v.name);
    if (v.vendor || (k !== 'url' && k !== 'http' && k !== 'https')) return false;
    if (v.source !== 'value' || !inClusterProxyHost(v.value!, clusterDomain)) return false;
    hop = true;
  }
  return hop;
}

/**
 * Whether an env set sets HTTPS_PROXY or HTTP_PROXY (any case, a vendor's variable, or a chart's
 * proxy key) non-empty. A chart's `proxy` map that is an internal hop never is.
 */
export function isProxied(set: Pick<EnvSet, 'vars'> & Pick<Partial<EnvSet>, 'internalHop'>): boolean {
  if (set.internalHop) return false;
  return set.vars.some((v) => v.role !== 'no' && (v.source === 'valueFrom' || (v.value !== undefined && v.value.trim() !== '')));
}

export function noProxyVars(set: Pick<EnvSet, 'vars'>): ProxyVar[] {
  return set.vars.filter((v) => v.role === 'no');
}
