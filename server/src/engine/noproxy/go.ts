// Go: golang.org/x/net/http/httpproxy, which net/http.ProxyFromEnvironment uses
// (research/domain.md §1.1). Summary of what is modelled here:
// - NO_PROXY is split on commas only; each entry is trimmed and lowercased. `*` as ANY entry
//   bypasses everything. Entries are tried as CIDR (v4/v6, IP hosts only), then IP or IP:port /
//   [v6]:port, then host name (`x.com` = x.com and subdomains, `.x.com` and `*.x.com` =
//   subdomains only), optionally with `:port`. Host names are compared in punycode.
// - `localhost` and loopback IPs are never proxied. Domain entries never match IP hosts.
// - The request port is the URL's port, or the scheme default (http 80, https 443, socks5 1080).
// - Proxy choice: https -> HTTPS_PROXY, http -> HTTP_PROXY (an error in CGI mode), else none.
import { domainToASCII } from 'node:url';
import { isSpaceCode } from './chars';
import { rangeContains, rangeHas, rangeOf, singleAddress, type IPRange } from './cidr';
import { isLoopback, parseIP, parseIPWithZone, unmapIPv4, type IPValue } from './ip';
import { hit, miss, nameMissWhy } from './explain';
import { perTarget, type DialectMatcher, type DialectReading, type DialectToken, type EntryMatch, type Target } from './types';

const PORT_MAP: Record<string, string> = { http: '80', https: '443', socks5: '1080' };

export interface GoToken extends DialectToken {
  /** What Go made of the entry. `ignored` entries are skipped by Go (empty host part). */
  kind: 'all' | 'cidr' | 'ip' | 'domain' | 'ignored';
  /** Lowercased, trimmed entry text. */
  lower: string;
  range?: IPRange;
  ip?: IPValue;
  /** Port the entry is restricted to ('' = any). */
  port: string;
  /** Domain entries: the suffix Go matches, with its leading dot (`.example.com`). */
  suffix?: string;
  /** Domain entries written without a leading `.` or `*.` also match the name itself. */
  matchHost?: boolean;
}

/** Go's strings.TrimSpace: Unicode White_Space at both ends. */
function trimSpaceOffsets(s: string, start: number, end: number): [number, number] {
  while (start < end && isSpaceCode(s.charCodeAt(start))) start++;
  while (end > start && isSpaceCode(s.charCodeAt(end - 1))) end--;
  return [start, end];
}

/** Go's net.SplitHostPort. Returns undefined where Go returns an error. */
export function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0) return undefined;
    if (end + 1 === hostport.length) return undefined; // missing port
    if (end + 1 !== i) return undefined; // too many colons, or ']' not followed by ':'
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return undefined; // too many colons
  }
  if (hostport.indexOf('[', j) >= 0) return undefined;
  if (hostport.indexOf(']', k) >= 0) return undefined;
  return { host, port: hostport.slice(i + 1) };
}

/** Go's net.ParseCIDR: strict address (no zone), decimal prefix length up to the family's bits. */
function parseGoCidr(s: string): IPRange | undefined {
  const slash = s.indexOf('/');
  if (slash < 0 || s.length > 60) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const mask = s.slice(slash + 1);
  if (!ip || !/^\d+$/.test(mask) || mask.length > 4) return undefined;
  const bits = Number(mask);
  if (bits > (ip.family === 4 ? 32 : 128)) return undefined;
  // An IPv4-mapped IPv6 network behaves as the IPv4 network it maps (net.IPNet.Contains uses To4).
  if (ip.family === 6 && ip.value >> 32n === 0xffffn) return rangeOf(unmapIPv4(ip), Math.max(0, bits - 96));
  return rangeOf(ip, bits);
}

/** Go's idnaASCII: ASCII stays as is; anything else goes through IDNA ToASCII (label by label). */
export function goIdnaASCII(v: string): string {
  if (/^[\x00-\x7f]*$/.test(v)) return v;
  const labels = v.split('.');
  const out: string[] = [];
  for (const label of labels) {
    if (label === '' || /^[\x00-\x7f]*$/.test(label)) {
      out.push(label.toLowerCase());
      continue;
    }
    const a = domainToASCII(label);
    if (!a) return v; // Go keeps the original on an IDNA error
    out.push(a);
  }
  return out.join('.');
}

export function readGo(noProxy: string): DialectReading<GoToken> {
  const tokens: GoToken[] = [];
  let pos = 0;
  while (pos <= noProxy.length) {
    let comma = noProxy.indexOf(',', pos);
    if (comma < 0) comma = noProxy.length;
    const [start, end] = trimSpaceOffsets(noProxy, pos, comma);
    pos = comma + 1;
    if (start === end) continue;
    const text = noProxy.slice(start, end);
    const token = classifyGo(text, start, end);
    tokens.push(token);
    if (token.kind === 'all') {
      return {
        value: noProxy,
        tokens,
        all: { why: 'Go bypasses the proxy for every host when `*` is any entry of NO_PROXY', start, end },
      };
    }
  }
  return { value: noProxy, tokens };
}

function classifyGo(text: string, start: number, end: number): GoToken {
  const lower = text.toLowerCase();
  if (lower === '*') return goToken(text, start, end, lower, 'all');
  const cidr = parseGoCidr(lower);
  if (cidr) return goToken(text, start, end, lower, 'cidr', cidr);
  let phost = lower;
  let pport = '';
  const hp = splitHostPort(lower);
  if (hp) {
    if (hp.host.length === 0) return goToken(text, start, end, lower, 'ignored');
    phost = hp.host;
    pport = hp.port;
    if (phost[0] === '[' && phost[phost.length - 1] === ']') phost = phost.slice(1, -1);
  }
  const ip = parseIP(phost);
  if (ip) return goToken(text, start, end, lower, 'ip', undefined, unmapIPv4(ip), pport);
  if (phost.length === 0) return goToken(text, start, end, lower, 'ignored');
  if (phost.startsWith('*.')) phost = phost.slice(1);
  let matchHost = false;
  if (phost[0] !== '.') {
    matchHost = true;
    phost = '.' + phost;
  }
  return goToken(text, start, end, lower, 'domain', undefined, undefined, pport, goIdnaASCII(phost), matchHost);
}

/** One constructor for every token keeps V8 on a single object shape for long lists. */
function goToken(
  text: string,
  start: number,
  end: number,
  lower: string,
  kind: GoToken['kind'],
  range?: IPRange,
  ip?: IPValue,
  port = '',
  suffix?: string,
  matchHost?: boolean,
): GoToken {
  return { text, start, end, kind, lower, range, ip, port, suffix, matchHost };
}

/** The request as Go's useProxy sees it: lowercased host, IP if it is one, port string. */
interface GoRequest {
  rawHost: string;
  host: string;
  ip?: IPValue;
  port: string;
}

const goRequest = perTarget(goRequestUncached);

function goRequestUncached(target: Target): GoRequest {
  let host = target.host;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  host = goIdnaASCII(host);
  const port = target.port !== undefined ? String(target.port) : (PORT_MAP[(target.scheme ?? '').toLowerCase()] ?? '');
  const parsed = parseIPWithZone(host);
  return {
    rawHost: host,
    host: host.trim().toLowerCase(),
    ip: parsed ? unmapIPv4({ family: parsed.family, value: parsed.value }) : undefined,
    port,
  };
}

function portClause(port: string): string {
  return port === '' ? '' : ` on port ${port}`;
}

export const goMatcher: DialectMatcher<GoToken> = {
  id: 'go',
  read: readGo,
  implicitBypass(target: Target): string | undefined {
    const req = goRequest(target);
    if (req.rawHost === 'localhost') return 'Go never sends requests for `localhost` to the proxy';
    if (req.ip && isLoopback(req.ip)) return `Go never sends requests for a loopback address (${req.host}) to the proxy`;
    return undefined;
  },
  matchToken(token: GoToken, target: Target): EntryMatch {
    const req = goRequest(target);
    const e = '`' + token.text + '`';
    switch (token.kind) {
      case 'all':
        return hit(() => `${e} bypasses the proxy for every host under Go`);
      case 'ignored':
        return miss(() => `Go ignores ${e}: it has no host part`);
      case 'cidr':
        if (!req.ip) return miss(() => `Go matches the CIDR ${e} only against IP literals, and ${req.host} is a name (no DNS lookup is done)`);
        return rangeHas(token.range!, req.ip)
          ? hit(() => `${req.host} is inside ${e}`)
          : miss(() => `${req.host} is outside ${e}`);
      case 'ip': {
        if (!req.ip) return miss(() => `Go matches the IP entry ${e} only against IP literals, and ${req.host} is a name`);
        if (req.ip.family !== token.ip!.family || req.ip.value !== token.ip!.value) return miss(() => `${e} is a different address than ${req.host}`);
        if (token.port !== '' && token.port !== req.port) {
          return miss(() => `${e} applies only to port ${token.port}, and the request uses ${req.port === '' ? 'an unknown port' : 'port ' + req.port}`);
        }
        return hit(() => `${e} is the address ${req.host}${portClause(token.port)}`);
      }
      case 'domain': {
        const suffix = token.suffix!;
        const apex = suffix.slice(1);
        if (req.ip) return miss(() => `Go never matches the host-name entry ${e} against an IP literal (${req.host})`);
        const nameMatches = req.host.endsWith(suffix) || (token.matchHost === true && req.host === apex);
        if (!nameMatches) {
          if (!token.matchHost && req.host === apex) {
            return miss(() => `under Go ${e} matches only subdomains of ${apex}, not ${apex} itself`);
          }
          return miss(() => nameMissWhy(req.host, apex, token.text, !token.matchHost));
        }
        if (token.port !== '' && token.port !== req.port) {
          return miss(() => `${e} applies only to port ${token.port}, and the request uses ${req.port === '' ? 'an unknown port' : 'port ' + req.port}`);
        }
        const what = req.host === apex ? 'is' : 'is a subdomain of';
        return hit(() => `${req.host} ${what} ${apex}${portClause(token.port)}`);
      }
    }
  },
  coversRange(token: GoToken, range: IPRange): EntryMatch {
    const e = '`' + token.text + '`';
    if (token.kind === 'all') return hit(() => `${e} bypasses the proxy for every host under Go`);
    if (token.kind === 'cidr') {
      return rangeContains(token.range!, range)
        ? hit(() => `${e} contains the whole range`)
        : miss(() => `${e} does not contain the whole range`);
    }
    if (token.kind === 'ip' && token.port === '' && rangeContains(singleAddress(token.ip!), range)) {
      return hit(() => `${e} is the only address of the range`);
    }
    return miss(() => `${e} covers ${token.kind === 'ip' ? 'one address' : 'no IP addresses'}, not the whole range`);
  },
};

/** Go's decision for one request: true = bypass the proxy (direct). */
export function goBypasses(noProxy: string, target: Target | string): boolean {
  const t = typeof target === 'string' ? goTargetFromURL(target) : target;
  if (!t) return false;
  if (goMatcher.implicitBypass(t)) return true;
  const reading = readGo(noProxy);
  if (reading.all) return true;
  return reading.tokens.some((tok) => goMatcher.matchToken(tok, t).matches);
}

// ---------------------------------------------------------------------------------------------
// URLs the Go way (net/url.Parse, enough of it for request and proxy URLs)

interface GoURL {
  scheme: string;
  userinfo?: string;
  /** Host with port, as in URL.Host (brackets kept, `%25` unescaped to `%`). */
  host: string;
  rest: string;
}

function parseGoURL(raw: string): GoURL | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(raw);
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  const after = m[2];
  if (!after.startsWith('//')) return { scheme, host: '', rest: after };
  const authEnd = after.slice(2).search(/[/?#]/);
  const authority = authEnd < 0 ? after.slice(2) : after.slice(2, 2 + authEnd);
  const rest = authEnd < 0 ? '' : after.slice(2 + authEnd);
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const host = (at >= 0 ? authority.slice(at + 1) : authority).replace(/%25/g, '%');
  if (/[\s<>"`{}|\\^]/.test(host)) return undefined;
  return { scheme, userinfo, host, rest };
}

/** URL.Hostname() and URL.Port() of Go. */
function goHostnamePort(host: string): { hostname: string; port?: string } {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return { hostname: host };
    const after = host.slice(close + 1);
    return { hostname: host.slice(1, close), port: after.startsWith(':') ? after.slice(1) : undefined };
  }
  const colon = host.lastIndexOf(':');
  if (colon < 0) return { hostname: host };
  return { hostname: host.slice(0, colon), port: host.slice(colon + 1) };
}

/** A request URL as Go would canonicalize it for useProxy (host, explicit port, scheme). */
export function goTargetFromURL(url: string): Target | undefined {
  const u = parseGoURL(url);
  if (!u) return undefined;
  const { hostname, port } = goHostnamePort(u.host);
  const portNum = port !== undefined && /^\d+$/.test(port) ? Number(port) : undefined;
  return { host: hostname, port: portNum, scheme: u.scheme };
}

/** Go's parseProxy: a value without scheme or host is retried as `http://` + value. */
export function goParseProxy(value: string): string | undefined {
  if (value === '') return undefined;
  let u = parseGoURL(value);
  if (!u || u.scheme === '' || u.host === '') u = parseGoURL('http://' + value);
  if (!u || u.host === '') return undefined;
  return `${u.scheme}://${u.userinfo !== undefined ? u.userinfo + '@' : ''}${u.host}${u.rest}`;
}

export interface GoProxyConfig {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  /** REQUEST_METHOD is set (CGI): HTTP_PROXY becomes an error for http requests. */
  cgi?: boolean;
}

/** httpproxy.FromEnvironment: UPPERCASE first, an empty value counts as unset. */
export function goConfigFromEnv(env: Record<string, string | undefined>): GoProxyConfig {
  const any = (...names: string[]) => {
    for (const n of names) {
      const v = env[n];
      if (v !== undefined && v !== '') return v;
    }
    return undefined;
  };
  return {
    httpProxy: any('HTTP_PROXY', 'http_proxy'),
    httpsProxy: any('HTTPS_PROXY', 'https_proxy'),
    noProxy: any('NO_PROXY', 'no_proxy'),
    cgi: (env.REQUEST_METHOD ?? '') !== '',
  };
}

export const GO_CGI_ERROR = 'refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy';

/** Config.ProxyFunc()(url): the proxy URL Go would use, null for direct, or an error. */
export function goProxyForURL(cfg: GoProxyConfig, url: string): { proxy: string | null; error?: string } {
  const target = goTargetFromURL(url);
  const scheme = target?.scheme ?? '';
  let proxy: string | undefined;
  if (scheme === 'https') proxy = goParseProxy(cfg.httpsProxy ?? '');
  else if (scheme === 'http') {
    proxy = goParseProxy(cfg.httpProxy ?? '');
    if (proxy !== undefined && cfg.cgi) return { proxy: null, error: GO_CGI_ERROR };
  }
  if (proxy === undefined || !target) return { proxy: null };
  if (goBypasses(cfg.noProxy ?? '', target)) return { proxy: null };
  return { proxy };
}
