// Which names mean "proxy" and which keys hold container env. Kept apart from the walk in
// discover.ts so that the vocabulary is in one place and easy to test.
import type { Dialect } from '../noproxy/types';

/** What a proxy variable or key configures. `both` is a single proxy for http and https (rancher's `proxy`). */
export type ProxyRole = 'http' | 'https' | 'both' | 'no';

/** The six environment variable names the runtimes read (research/domain.md §1.10). */
const ENV_NAMES: Record<string, { role: ProxyRole; case: 'upper' | 'lower' }> = {
  HTTP_PROXY: { role: 'http', case: 'upper' },
  http_proxy: { role: 'http', case: 'lower' },
  HTTPS_PROXY: { role: 'https', case: 'upper' },
  https_proxy: { role: 'https', case: 'lower' },
  NO_PROXY: { role: 'no', case: 'upper' },
  no_proxy: { role: 'no', case: 'lower' },
};

/**
 * The role of a literal environment variable name. Only the exact upper and lower case forms
 * count: Go, curl, Python and Node read nothing else (`Http_Proxy` is ignored by all of them).
 */
export function envVarRole(name: string): { role: ProxyRole; case: 'upper' | 'lower' } | undefined {
  return Object.prototype.hasOwnProperty.call(ENV_NAMES, name) ? ENV_NAMES[name] : undefined;
}

/**
 * What a vendor's own proxy variable means (ProxyVar.vendor): a name one product reads beside,
 * or instead of, the six standard ones.
 */
export interface VendorProxy {
  /** `DD`, `STS`, or the prefix of a chart block's `<PREFIX>_HTTPS_PROXY` key. */
  prefix: string;
  /** Who reads it, for messages (`the Datadog Agent`); absent for a chart block's prefixed key. */
  reader?: string;
  /** The NO_PROXY variable of the same product; absent when there is none to ask for. */
  noProxyName?: string;
  /** NO_PROXY variables only: the list separator, when it is not a comma. */
  separator?: ' ';
  /**
   * The runtime of the product's own HTTP client, whatever `runtimes:` says: how it matches its
   * NO_PROXY and parses its proxy URL.
   */
  dialect?: Dialect;
  /**
   * The proxy carries only the product's connection to its own backend: in-cluster requests
   * never go through it, so it needs no NO_PROXY.
   */
  backendOnly?: boolean;
}

/**
 * Datadog Agent (a Go program). DD_PROXY_HTTP(S) and DD_PROXY_NO_PROXY take precedence over
 * HTTP(S)_PROXY / NO_PROXY, and DD_PROXY_NO_PROXY is a SPACE-separated list: "Sets a list of
 * hosts that should bypass the proxy. The list is space-separated" (docs.datadoghq.com/agent/
 * configuration/proxy, "Environment variables"; datadog-agent pkg/config/setup
 * `LoadProxyFromEnv`: older agents `strings.Split(noProxy, " ")`, newer ones split on spaces
 * and commas, while the NO_PROXY fallback is split on commas). Matching (datadog-agent
 * pkg/util/http/transport.go `GetProxyTransportFunc`): with `no_proxy_nonexact_match: true` (DD_NO_PROXY_NONEXACT_MATCH,
 * which Datadog recommends) the entries are joined with "," and handed to Go's
 * golang.org/x/net/http/httpproxy, i.e. exactly the engine's `go` dialect (suffixes, `.x`
 * subdomains only, CIDRs, IPs, implicit localhost). Without it the agent's own requests match an
 * entry only when it equals the URL's host[:port] exactly, which no entry form beats; `go` is the
 * closest dialect the engine has.
 */
const DATADOG: VendorProxy = { prefix: 'DD', reader: 'the Datadog Agent', noProxyName: 'DD_PROXY_NO_PROXY', dialect: 'go' };

/**
 * SUSE Observability (StackState) agent: the chart renders `global.proxy.url` as STS_PROXY_HTTPS
 * and STS_PROXY_HTTP and has no no-proxy key. StackState's docs ("Use an HTTP/HTTPS proxy",
 * "Proxy for communication with StackState only"): these variables are used for the agent's
 * connection to the StackState receiver only; checks and in-cluster requests do not go through
 * them (HTTPS_PROXY / HTTP_PROXY / NO_PROXY are the proxy for all agent communication). The
 * agent also reads a STS_PROXY_NO_PROXY (space-separated, per the same docs), which can only
 * narrow that one connection: it is not treated as a NO_PROXY here. The agent is a Go fork of
 * the Datadog Agent (StackVista/stackstate-agent renames DD_PROXY_* to STS_PROXY_*).
 */
const STACKSTATE: VendorProxy = { prefix: 'STS', reader: 'the SUSE Observability agent', dialect: 'go', backendOnly: true };

const VENDOR_NAMES: Record<string, { role: ProxyRole; vendor: VendorProxy }> = {
  DD_PROXY_HTTP: { role: 'http', vendor: DATADOG },
  DD_PROXY_HTTPS: { role: 'https', vendor: DATADOG },
  DD_PROXY_NO_PROXY: { role: 'no', vendor: { ...DATADOG, separator: ' ' } },
  STS_PROXY_HTTP: { role: 'http', vendor: STACKSTATE },
  STS_PROXY_HTTPS: { role: 'https', vendor: STACKSTATE },
};

/** A vendor's proxy environment variable (exact upper-case name), anywhere env is set. */
export function vendorVarRole(name: string): { role: ProxyRole; vendor: VendorProxy } | undefined {
  return Object.prototype.hasOwnProperty.call(VENDOR_NAMES, name) ? VENDOR_NAMES[name] : undefined;
}

const PREFIXED_KEY = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)_(HTTPS?|NO)_PROXY$/;

/**
 * A vendor's proxy key in a chart block: the names above, or `<PREFIX>_HTTPS_PROXY`,
 * `<PREFIX>_HTTP_PROXY`, `<PREFIX>_NO_PROXY` (upper case, as env names are written), which the
 * chart renders into its container's env. The prefixed NO_PROXY is taken as comma-separated.
 */
export function vendorBlockKeyRole(key: string): { role: ProxyRole; vendor: VendorProxy } | undefined {
  const known = vendorVarRole(key);
  if (known) return known;
  const m = PREFIXED_KEY.exec(key);
  if (!m) return undefined;
  const role: ProxyRole = m[2] === 'NO' ? 'no' : m[2] === 'HTTPS' ? 'https' : 'http';
  return { role, vendor: { prefix: m[1], noProxyName: `${m[1]}_NO_PROXY` } };
}

/** `httpsProxy`, `https_proxy`, `HTTPS-Proxy` → `httpsproxy`. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** The role of a key in a chart's proxy block (`proxy.httpsProxy`, `operator.noProxy`, cert-manager's `no_proxy`). */
export function blockKeyRole(key: string): ProxyRole | undefined {
  switch (normalizeKey(key)) {
    case 'httpproxy':
      return 'http';
    case 'httpsproxy':
      return 'https';
    case 'noproxy':
      return 'no';
    default:
      return undefined;
  }
}

/** Keys inside a map named `proxy` (`global.proxy.url`, `proxy.https`). */
export function proxyMapKeyRole(key: string): ProxyRole | undefined {
  switch (normalizeKey(key)) {
    case 'url':
      return 'both';
    case 'http':
      return 'http';
    case 'https':
      return 'https';
    default:
      return blockKeyRole(key);
  }
}

/**
 * Keys that hold container env: `env`, `extraEnv`, `extraEnvs`, `extraEnvVars`,
 * `additionalEnvVars`, `additional_env_vars`, `envVars`, `environmentVariables`. Not `envFrom`,
 * `envValueFrom`, `extraEnvVarsCM`/`Secret` (names of other objects), nor `environment`
 * (usually a stage name such as `production`).
 */
export function isEnvKey(key: string): boolean {
  if (!/env/i.test(key)) return false;
  return /^[a-z0-9]*?(?:env|envs|envvar|envvars|envvariables|environmentvariables)$/.test(normalizeKey(key));
}

/**
 * A client config for one destination (k8s-monitoring's `destinations.*.proxyURL`, Prometheus'
 * `proxy_url`): its `noProxy` applies to that destination's requests only, so the map is not an
 * env set (see discover.ts).
 */
export function isPerDestinationProxyKey(key: string): boolean {
  return normalizeKey(key) === 'proxyurl';
}

export function roleLabel(role: ProxyRole): string {
  return role === 'no' ? 'NO_PROXY' : role === 'http' ? 'HTTP_PROXY' : role === 'https' ? 'HTTPS_PROXY' : 'proxy';
}
