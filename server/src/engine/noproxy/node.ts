// Node.js: undici EnvHttpProxyAgent >= 7.22 (what fetch() uses under NODE_USE_ENV_PROXY),
// research/domain.md §1.5 and the undici 8.10 vectors. What is modelled:
// - The value exactly `*` bypasses everything; a list with no entries always proxies.
// - Entries are split on commas AND any whitespace. Each may carry a port (`host:port`,
//   `[v6]:port`; a bare IPv6 address with several colons is a host), brackets are dropped, a
//   leading `.` or `*.` is stripped (so `.x` and `*.x` also match `x` itself), lowercased.
// - A request matches when the entry's port (if any) equals the request port (the URL's port,
//   or the scheme default 80/443 when absent or 0) and the host equals the entry or ends with
//   `.` + entry. No CIDR, no other wildcards, no implicit localhost bypass.
// - HTTPS requests fall back to HTTP_PROXY when no HTTPS proxy is set; lowercase env wins, even
//   when it is empty (`??`).
import { domainToASCII } from 'node:url';
import { rangeSize, type IPRange } from './cidr';
import { formatIP } from './ip';
import { hit, miss, nameMissWhy } from './explain';
import { perTarget, type DialectMatcher, type DialectReading, type DialectToken, type EntryMatch, type Target } from './types';

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

export interface NodeToken extends DialectToken {
  hostname: string;
  /** 0 = any port. */
  port: number;
}

export function readNode(noProxy: string): DialectReading<NodeToken> {
  const tokens: NodeToken[] = [];
  const re = /[^,\s]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(noProxy)) !== null) {
    const entry = m[0];
    let hostname: string;
    let port: number;
    const v6port = /^\[(.+)\]:(\d+)$/.exec(entry);
    if (v6port) {
      hostname = v6port[1];
      port = Number.parseInt(v6port[2], 10);
    } else {
      const unbracketed = entry.replace(/^\[(.+)\]$/, '$1');
      const first = unbracketed.indexOf(':');
      const colons = first < 0 ? 0 : unbracketed.indexOf(':', first + 1) < 0 ? 1 : 2; // 2 = several
      const hp = colons === 1 ? /^(.+):(\d+)$/.exec(unbracketed) : null;
      hostname = hp ? hp[1] : unbracketed;
      port = hp ? Number.parseInt(hp[2], 10) : 0;
    }
    tokens.push({ text: entry, start: m.index, end: m.index + entry.length, hostname: hostname.replace(/^\*?\./, '').toLowerCase(), port });
  }
  const all = noProxy === '*' && tokens.length > 0 ? { why: 'Node.js (undici) bypasses the proxy for every host when NO_PROXY is exactly `*`', start: 0, end: 1 } : undefined;
  return { value: noProxy, tokens, all };
}

interface NodeRequest {
  hostname: string;
  /** 0 = unknown. */
  port: number;
}

const nodeRequest = perTarget(nodeRequestUncached);

function nodeRequestUncached(target: Target): NodeRequest {
  let hostname = target.host;
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  if (/[^\x00-\x7f]/.test(hostname)) hostname = domainToASCII(hostname) || hostname; // WHATWG URL does this
  hostname = hostname.toLowerCase();
  const port = target.port || DEFAULT_PORTS[(target.scheme ?? '').toLowerCase()] || 0;
  return { hostname, port };
}

export const nodeMatcher: DialectMatcher<NodeToken> = {
  id: 'node',
  read: readNode,
  implicitBypass(): string | undefined {
    return undefined;
  },
  matchToken(token: NodeToken, target: Target): EntryMatch {
    const req = nodeRequest(target);
    const e = '`' + token.text + '`';
    const h = token.hostname;
    const nameMatches = req.hostname === h || req.hostname.slice(-(h.length + 1)) === `.${h}`;
    if (!nameMatches) {
      if (/^\.?\*/.test(token.text) && !token.text.startsWith('*.')) return miss(() => `undici supports no wildcard other than a leading \`*.\`; ${e} never matches`);
      if (token.text.includes('/')) return miss(() => `undici has no CIDR support: ${e} is compared as a host name`);
      return miss(() => nameMissWhy(req.hostname, h, token.text, false));
    }
    if (token.port && token.port !== req.port) {
      return miss(() => `${e} applies only to port ${token.port}, and the request uses ${req.port ? 'port ' + req.port : 'an unknown port'}`);
    }
    const what = req.hostname === h ? 'is' : 'is a subdomain of';
    return hit(() => `${req.hostname} ${what} ${h}${token.port ? ` on port ${token.port}` : ''}`);
  },
  coversRange(token: NodeToken, range: IPRange): EntryMatch {
    if (rangeSize(range) === 1n) {
      return nodeMatcher.matchToken(token, { host: formatIP({ family: range.family, value: range.start }) });
    }
    return miss(() => 'undici has no CIDR support: only `*` (the whole value) covers a range of addresses');
  },
};

/** undici's decision for one request: true = bypass the proxy. */
export function nodeBypasses(noProxy: string, target: Target | string): boolean {
  const t = typeof target === 'string' ? nodeTargetFromURL(target) : target;
  if (!t) return false;
  const reading = readNode(noProxy);
  if (reading.tokens.length === 0) return false;
  if (reading.all) return true;
  return reading.tokens.some((tok) => nodeMatcher.matchToken(tok, t).matches);
}

/** What undici takes from a WHATWG URL: host without port and brackets, port (0 = default). */
export function nodeTargetFromURL(url: string): Target | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const host = u.host.replace(/:\d*$/, '');
  const port = Number.parseInt(u.port, 10) || undefined;
  return { host, port, scheme: u.protocol.replace(/:$/, '') };
}

export interface NodeProxyOptions {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

/** The proxies EnvHttpProxyAgent builds: options, then lowercase env (`??`), then uppercase. */
export function nodeProxyFromEnv(env: Record<string, string | undefined>, options: NodeProxyOptions = {}): { http: string | null; https: string | null } {
  const normalise = (v: string | undefined) => {
    if (!v) return null;
    try {
      return new URL(v).href;
    } catch {
      return null;
    }
  };
  const http = normalise(options.httpProxy ?? env.http_proxy ?? env.HTTP_PROXY);
  const httpsRaw = options.httpsProxy ?? env.https_proxy ?? env.HTTPS_PROXY;
  const https = httpsRaw ? normalise(httpsRaw) : http;
  return { http, https };
}

/** The NO_PROXY value undici reads: the option, then lowercase env even when empty, then upper. */
export function nodeNoProxyFromEnv(env: Record<string, string | undefined>, options: NodeProxyOptions = {}): string {
  return options.noProxy ?? env.no_proxy ?? env.NO_PROXY ?? '';
}
