// In-cluster hosts that a values file itself points at: `http://prometheus-server.monitoring.svc:9090`,
// `loki.loki.svc.cluster.local:3100`, `redis:6379` under an address key. A container with
// HTTPS_PROXY set sends those requests to the proxy unless NO_PROXY covers them, so they are
// required destinations (rules.md "Terms").
//
// What counts, chosen to keep false positives away on real charts:
// - a whole value that is a URL with an HTTP-family scheme (http, https, ws, wss, grpc, grpcs,
//   h2c): other protocols (redis://, postgres://, amqp://…) do not go through an HTTP proxy;
// - a whole value `host:port` or a bare host, only under a key that names an address
//   (`url`, `endpoint`, `address`, `addr`, `host`, `server`, `target`, `uri`, `dsn`, or an env
//   var named so, e.g. `REDIS_ADDR`), so that `image: redis:7` or `tag: 1:2` never count;
// - the host is in the cluster: it ends in `.svc`, `.svc.<clusterDomain>` or `.<clusterDomain>`,
//   or it is a single DNS label (a Service in the same namespace) that is not a documentation
//   placeholder (`hostname`, `example` …); a bare single label needs a port or a scheme.
//   Two-label names (`svc.namespace`) are skipped: they cannot be told from `example.com`.
// Skipped: Go templates (`{{ … }}`), `${VAR}` references, prose, IP literals (the pod and service
// CIDRs cover those), localhost (loopback is always required), and values of proxy keys
// (a request to the proxy itself never consults NO_PROXY).

export interface InClusterHost {
  /** Lowercased host name. */
  host: string;
  port?: number;
  scheme?: string;
  /** Offsets of the host in the value string. */
  start: number;
  end: number;
}

const HTTP_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'grpc', 'grpcs', 'h2c']);
const PLACEHOLDER_LABELS = new Set(['hostname', 'host', 'example', 'changeme', 'your-host', 'yourhost', 'my-host', 'myhost', 'server', 'domain', 'foo', 'bar']);
const ADDRESS_KEY = /(?:url|uri|urls|endpoint|endpoints|address|addr|host|server|target|dsn)$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const URL_RE = /^([a-z][a-z0-9+.-]{0,20}):\/\/(?:[^@/?#\s]*@)?(\[[^\]\s]*\]|[^:/?#\s]*)(?::(\d{1,5}))?(?:[/?#]\S*)?$/i;
const HOST_PORT_RE = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** Whether `key` (a map key or an env var name) names an address. */
export function isAddressKey(key: string): boolean {
  return ADDRESS_KEY.test(key.toLowerCase().replace(/[_-]/g, ''));
}

/** The in-cluster host a value points at, if any (see the header for the rules). */
export function inClusterHost(value: string, key: string, clusterDomain: string): InClusterHost | undefined {
  if (value.length > 2048 || value.length < 3) return undefined;
  const lead = value.length - value.trimStart().length;
  const v = value.trim();
  if (v.includes('{{') || v.includes('${') || v.includes('$(') || /\s/.test(v)) return undefined;
  const url = URL_RE.exec(v);
  if (url) {
    const scheme = url[1].toLowerCase();
    if (!HTTP_SCHEMES.has(scheme)) return undefined;
    const hostText = url[2];
    const start = lead + v.indexOf(hostText, url[1].length + 3);
    return classify(hostText, url[3], scheme, start, clusterDomain, true);
  }
  if (!isAddressKey(key)) return undefined;
  const hp = HOST_PORT_RE.exec(v);
  if (!hp) return undefined;
  return classify(hp[1], hp[2], undefined, lead, clusterDomain, hp[2] !== undefined);
}

function classify(hostText: string, portText: string | undefined, scheme: string | undefined, start: number, clusterDomain: string, anchored: boolean): InClusterHost | undefined {
  const host = hostText.toLowerCase().replace(/\.$/, '');
  if (host === '' || host.startsWith('[') || /^[\d.]+$/.test(host) || host.includes(':')) return undefined;
  const port = portText !== undefined ? Number(portText) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const labels = host.split('.');
  if (!labels.every((l) => LABEL.test(l))) return undefined;
  if (host === 'localhost' || host.endsWith('.localhost')) return undefined;
  const domain = clusterDomain.replace(/^\.+|\.+$/g, '').toLowerCase();
  const inCluster =
    host.endsWith('.svc') ||
    (domain !== '' && (host === domain || host.endsWith('.' + domain))) ||
    (labels.length === 1 && anchored && !PLACEHOLDER_LABELS.has(host) && !/^\d+$/.test(host));
  if (!inCluster) return undefined;
  return { host, port, scheme, start, end: start + hostText.length };
}

/** A single-label host that names a forward proxy (or its placeholder) rather than a component. */
const PROXY_LABEL = /proxy|squid/;

/**
 * Whether a chart's proxy URL (`proxy.url: http://gateway.observability.svc:4318`, `gateway:4318`)
 * points at a host in the cluster (the same rules as inClusterHost). Such a `proxy` is a hop
 * between components of the install, not the egress proxy (discover.ts `internalHop`). A single
 * label that names a proxy (`http://proxy:3128`, `http://squid:3128`, `http://your-proxy:port`)
 * does not count: that is how examples write the corporate proxy.
 */
export function inClusterProxyHost(value: string, clusterDomain: string): InClusterHost | undefined {
  const h = inClusterHost(value, 'url', clusterDomain);
  if (!h || (!h.host.includes('.') && PROXY_LABEL.test(h.host))) return undefined;
  return h;
}
