// The host (and port) an egress value points at, for the allowlist: `https://hooks.slack.com/
// services/T0/B0/XXX` is hooks.slack.com:443 (the path, a credential in Slack's case, is never
// kept), `kafka.corp.example:9092` is itself, a user:password@ is dropped. What cannot be listed
// says why: a Helm template, an unreplaced placeholder, a host inside the cluster (those never
// leave it: Services, the cluster domain, pod and service CIDRs, loopback, link-local).
import { rangeHas, rangeOf, parseCidrText } from '../noproxy/cidr';
import { parseIP, isLoopback, type IPValue } from '../noproxy/ip';

export interface HostPort {
  host: string;
  port: number;
}

export type Endpoint = HostPort | { skip: string };

/** Default ports of the schemes values use. */
const SCHEME_PORTS: Record<string, number> = {
  http: 80, https: 443, ws: 80, wss: 443, grpc: 443, grpcs: 443, h2c: 80, ftp: 21, sftp: 22, ssh: 22,
  smtp: 25, smtps: 465, ldap: 389, ldaps: 636, amqp: 5672, amqps: 5671, mqtt: 1883, mqtts: 8883, kafka: 9092,
  redis: 6379, rediss: 6379, postgres: 5432, postgresql: 5432, mysql: 3306, mongodb: 27017, nats: 4222, tcp: 0, oci: 443,
};

const URL_RE = /^([a-z][a-z0-9+.-]{0,20}):\/\/(?:[^@/?#\s]*@)?(\[[0-9A-Fa-f:.]+\]|[^:/?#\s@]*)(?::(\d{1,5}))?(?:[/?#]\S*)?$/i;
const HOST_PORT_RE = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?(?:\/\S*)?$/;
const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

export interface ClusterNetwork {
  clusterDomain: string;
  podCIDR: string[];
  serviceCIDR: string[];
}

function inRanges(ip: IPValue, cidrs: string[]): boolean {
  for (const c of cidrs) {
    const parsed = parseCidrText(c);
    if (parsed && rangeHas(rangeOf(parsed.ip, parsed.prefix), ip)) return true;
  }
  return false;
}

/** Why a host never leaves the cluster, or undefined when it does. */
export function inClusterReason(host: string, cluster: ClusterNetwork): string | undefined {
  const ip = parseIP(host);
  if (ip) {
    if (isLoopback(ip)) return 'a loopback address';
    if (inRanges(ip, cluster.podCIDR)) return 'an address in the pod CIDR';
    if (inRanges(ip, cluster.serviceCIDR)) return 'an address in the service CIDR';
    return undefined;
  }
  const domain = cluster.clusterDomain.replace(/^\.+|\.+$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (host.endsWith('.svc') || host.includes('.svc.') || (domain && (host === domain || host.endsWith(`.${domain}`)))) return 'a Service in the cluster';
  if (!host.includes('.')) return 'a name without a domain (a Service of the same namespace)';
  if (host.endsWith('.local') || (host.endsWith('.internal') && host !== 'metadata.google.internal')) return 'a name that only resolves inside the cluster or the node';
  return undefined;
}

/**
 * The external endpoint a value names, or why it is not one. `defaultPort` is used when the
 * value gives none and has no scheme.
 */
export function endpointOf(value: string, defaultPort: number, cluster: ClusterNetwork): Endpoint {
  const v = value.trim();
  if (v === '') return { skip: 'empty' };
  if (v.length > 2048) return { skip: 'longer than a URL' };
  if (v.includes('{{')) return { skip: 'a Helm template expression, only known when rendered' };
  if (/\$\{|\$\(/.test(v)) return { skip: 'an environment variable reference, only known at run time' };
  if (/<[A-Za-z0-9][^<>\s]*>/.test(v)) return { skip: 'an unreplaced <…> placeholder' };
  let hostText: string;
  let port: number | undefined;
  const url = URL_RE.exec(v);
  if (url) {
    hostText = url[2];
    const scheme = url[1].toLowerCase();
    port = url[3] !== undefined ? Number(url[3]) : SCHEME_PORTS[scheme] || (scheme === 'tcp' ? undefined : defaultPort);
  } else {
    if (/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^[A-Za-z0-9.-]+:\d/.test(v)) return { skip: 'not a URL or a host' };
    const hp = HOST_PORT_RE.exec(v);
    if (!hp) return { skip: 'not a URL or a host' };
    hostText = hp[1];
    port = hp[2] !== undefined ? Number(hp[2]) : defaultPort;
  }
  if (port === undefined || port < 1 || port > 65535) return { skip: 'no usable port' };
  let host = hostText.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[')) host = host.slice(1, -1);
  const ip = parseIP(host);
  if (!ip) {
    const labels = host.split('.');
    if (!labels.every((l) => LABEL.test(l)) || host.length > 253) return { skip: `"${host.slice(0, 80)}" is no host name` };
  }
  // RFC 6761: `.invalid` never resolves; charts use it for "no endpoint here" (Kubernaut's no-browser-clients.invalid).
  if (/(^|\.)invalid$/.test(host)) return { skip: `"${host}" can never resolve (.invalid)` };
  const inside = inClusterReason(host, cluster);
  if (inside) return { skip: `in the cluster (${inside})` };
  return { host, port };
}

/** A value with its user info (user:password@) and path removed, for notes about skipped values. */
export function redactedValue(value: string): string {
  const v = value.trim().slice(0, 200);
  const url = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^@/?#\s]*@)?([^/?#\s]*)/i.exec(v);
  if (url) return `${url[1]}${url[2]}${v.length > url[0].length ? '/…' : ''}`;
  return v.replace(/\/.*$/, '/…');
}
