// Which names mean "proxy" and which keys hold container env. Kept apart from the walk in
// discover.ts so that the vocabulary is in one place and easy to test.

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
