// Python: requests >= 2.34 utils.should_bypass_proxies, which falls back to urllib's
// proxy_bypass_environment on Linux (research/domain.md §1.3, §1.4; requests vectors).
// What is modelled:
// - requests' own check: delete every space, split on commas. An IPv4 host (anything
//   inet_aton accepts) matches IPv4 CIDR entries (mask 1-32) or an entry equal to it as a string.
//   Any other host (IPv6 without brackets, names) matches an entry, with leading dots stripped,
//   that equals it or is a dot-boundary suffix of it; `host:port` is also tried, but only when
//   the URL spells out its port (no default ports). Entries are NOT lowercased here.
// - urllib's fallback on the bracket-less host: the whole value `*` bypasses everything;
//   otherwise entries split on commas, trimmed, lowercased, leading dots stripped, and matched as
//   equal or dot-boundary suffix. No CIDR anywhere in urllib.
// - No implicit localhost bypass, no `*.` wildcard, no IPv6 CIDR.
import { isSpaceCode } from './chars';
import { rangeContains, rangeOf, type IPRange } from './cidr';
import { parseInetAton, parseIPv6, type IPValue } from './ip';
import { hit, miss, nameMissWhy } from './explain';
import { perTarget, type DialectMatcher, type DialectReading, type DialectToken, type EntryMatch, type Target } from './types';

export interface PythonToken extends DialectToken {
  /** The entry as requests' own check uses it: every space deleted. */
  requestsForm: string;
  /** The entry as urllib's fallback uses it: trimmed, lowercased, leading dots stripped. */
  urllibForm: string;
  /** requests' IPv4 CIDR reading of `requestsForm`, filled on first use (null = not one). */
  cidr?: IPRange | null;
}

function tokenCidr(token: PythonToken): IPRange | undefined {
  if (token.cidr === undefined) token.cidr = pythonCidr(token.requestsForm) ?? null;
  return token.cidr ?? undefined;
}

export function readPython(noProxy: string): DialectReading<PythonToken> {
  const tokens: PythonToken[] = [];
  let pos = 0;
  while (pos <= noProxy.length) {
    let comma = noProxy.indexOf(',', pos);
    if (comma < 0) comma = noProxy.length;
    let start = pos;
    let end = comma;
    pos = comma + 1;
    while (start < end && isSpaceCode(noProxy.charCodeAt(start))) start++;
    while (end > start && isSpaceCode(noProxy.charCodeAt(end - 1))) end--;
    if (start === end) continue;
    const text = noProxy.slice(start, end);
    tokens.push({
      text,
      start,
      end,
      requestsForm: text.replace(/ /g, ''),
      urllibForm: text.toLowerCase().replace(/^\.+/, ''),
      cidr: undefined,
    });
  }
  const all =
    noProxy === '*'
      ? { why: 'Python (urllib) bypasses the proxy for every host when NO_PROXY is exactly `*`', start: 0, end: 1 }
      : undefined;
  return { value: noProxy, tokens, all };
}

/** requests' is_valid_cidr + the network it denotes. */
function pythonCidr(entry: string): IPRange | undefined {
  const parts = entry.split('/');
  if (parts.length !== 2) return undefined;
  const maskText = parts[1];
  if (!/^[+-]?\d+(_\d+)*$/.test(maskText) || maskText.length > 8) return undefined; // Python int()
  const mask = Number(maskText.replace(/_/g, ''));
  if (mask < 1 || mask > 32) return undefined;
  const net = parseInetAton(parts[0]);
  if (net === undefined) return undefined;
  return rangeOf({ family: 4, value: net }, mask);
}

/** The request as requests sees it (urlparse: lowercased hostname without brackets). */
interface PythonRequest {
  hostname: string;
  /** Only when the URL spells out a (non-zero) port. */
  hostWithPort: string;
  ipv4?: IPValue;
}

const pythonRequest = perTarget(pythonRequestUncached);

function pythonRequestUncached(target: Target): PythonRequest {
  let hostname = target.host;
  if (hostname.startsWith('[')) {
    const close = hostname.indexOf(']');
    hostname = close < 0 ? hostname.slice(1) : hostname.slice(1, close);
  }
  hostname = hostname.toLowerCase();
  const v4 = parseInetAton(hostname);
  return {
    hostname,
    hostWithPort: target.port ? `${hostname}:${target.port}` : hostname,
    ipv4: v4 === undefined ? undefined : { family: 4, value: v4 },
  };
}

function requestsCheck(token: PythonToken, req: PythonRequest): EntryMatch | undefined {
  const entry = token.requestsForm;
  const e = '`' + token.text + '`';
  if (entry === '') return undefined;
  if (req.ipv4) {
    const cidr = tokenCidr(token);
    if (cidr) {
      return cidr.start <= req.ipv4.value && req.ipv4.value <= cidr.end
        ? hit(() => `${req.hostname} is inside ${e}`)
        : miss(() => `${req.hostname} is outside ${e}`);
    }
    if (req.hostname === entry) return hit(() => `${e} is the address ${req.hostname}`);
    return undefined;
  }
  const host = entry.replace(/^\.+/, '');
  if (req.hostname === host || req.hostWithPort === host) return hit(() => `${req.hostWithPort === host && req.hostname !== host ? req.hostWithPort : req.hostname} is ${host}`);
  const suffix = '.' + host;
  if (req.hostname.endsWith(suffix) || req.hostWithPort.endsWith(suffix)) return hit(() => `${req.hostname} is a subdomain of ${host}`);
  return undefined;
}

/** urllib's _splitport: the host split at its last `:digits*`. */
function splitPort(host: string): string {
  const m = /^(.*):([0-9]*)$/s.exec(host);
  return m ? m[1] : host;
}

function urllibCheck(token: PythonToken, req: PythonRequest): boolean {
  const name = token.urllibForm;
  if (name === '') return false;
  const host = req.hostname;
  const hostonly = splitPort(host);
  if (hostonly === name || host === name) return true;
  const suffix = '.' + name;
  return hostonly.endsWith(suffix) || host.endsWith(suffix);
}

function whyNot(token: PythonToken, req: PythonRequest): string {
  const e = '`' + token.text + '`';
  const t = token.requestsForm;
  if (t.startsWith('*.')) return `Python has no \`*.\` wildcard: ${e} is compared literally, so it never matches`;
  if (t.startsWith('[')) return `Python requests compares IPv6 hosts without brackets, so ${e} never matches`;
  if (token.text.includes(' ')) return `Python requests deletes the spaces in ${e} and reads "${t}"`;
  if (req.ipv4) {
    if (t.includes('/')) return `${e} is not an IPv4 CIDR requests accepts (mask 1-32)`;
    if (/:\d+$/.test(t)) return `Python never matches an entry with a port (${e}) against an IP host`;
    return `${e} is not the address ${req.hostname} and not an IPv4 CIDR containing it`;
  }
  if (t.includes('/') && parseIPv6(t.split('/')[0]) !== undefined) return `Python requests has no IPv6 CIDR support: ${e} never matches`;
  const portMatch = /^(.*):(\d+)$/.exec(t);
  if (portMatch && (req.hostname === portMatch[1].replace(/^\.+/, '') || req.hostname.endsWith('.' + portMatch[1].replace(/^\.+/, '')))) {
    return `${e} applies only when the URL spells out port ${portMatch[2]}, which this request does not`;
  }
  return nameMissWhy(req.hostname, t.replace(/^\.+/, '').toLowerCase(), token.text, false);
}

export const pythonMatcher: DialectMatcher<PythonToken> = {
  id: 'python',
  read: readPython,
  implicitBypass(): string | undefined {
    return undefined;
  },
  matchToken(token: PythonToken, target: Target): EntryMatch {
    const req = pythonRequest(target);
    const own = requestsCheck(token, req);
    if (own?.matches) return own;
    if (urllibCheck(token, req)) {
      return hit(() => `${req.hostname} matches \`${token.text}\` in urllib's fallback check`);
    }
    return miss(() => own?.why ?? whyNot(token, req));
  },
  coversRange(token: PythonToken, range: IPRange): EntryMatch {
    const e = '`' + token.text + '`';
    if (range.family === 6) return miss(() => `Python requests has no IPv6 CIDR support`);
    const cidr = tokenCidr(token);
    if (!cidr) return miss(() => `${e} is not an IPv4 CIDR (requests matches CIDR entries only when written a.b.c.d/n, n 1-32)`);
    return rangeContains(cidr, range)
      ? hit(() => `${e} contains the whole range`)
      : miss(() => `${e} does not contain the whole range`);
  },
};

/** requests' decision for one request: true = bypass the proxy. */
export function pythonBypasses(noProxy: string, target: Target | string): boolean {
  let t: Target | undefined;
  if (typeof target === 'string') {
    const parsed = pythonTargetFromURL(target);
    if (!parsed) return true; // no hostname (file:///...): requests bypasses
    t = parsed;
  } else t = target;
  const reading = readPython(noProxy);
  if (reading.all) return true;
  return reading.tokens.some((tok) => pythonMatcher.matchToken(tok, t!).matches);
}

/**
 * should_bypass_proxies(url, no_proxy) with its environment: `noProxyArgument` (null = read
 * the environment) feeds requests' own check; urllib's fallback reads the environment, where
 * requests first sets `no_proxy` to the argument when one is given.
 */
export function pythonShouldBypass(url: string, noProxyArgument: string | null, env: Record<string, string | undefined>): boolean {
  const target = pythonTargetFromURL(url);
  if (!target) return true;
  const own = noProxyArgument ?? (env.no_proxy || env.NO_PROXY || '');
  const urllibEnv = noProxyArgument !== null ? { ...env, no_proxy: noProxyArgument } : env;
  const fallback = pythonUrllibNoProxy(urllibEnv);
  const ownReading = readPython(own);
  if (own !== '' && ownReading.tokens.some((tok) => requestsCheck(tok, pythonRequest(target))?.matches)) return true;
  if (fallback === undefined) return false;
  if (fallback === '*') return true;
  const req = pythonRequest(target);
  return readPython(fallback).tokens.some((tok) => urllibCheck(tok, req));
}

/** urllib getproxies_environment()['no']: lowercase wins, and an empty lowercase value unsets. */
export function pythonUrllibNoProxy(env: Record<string, string | undefined>): string | undefined {
  if (env.no_proxy !== undefined) return env.no_proxy === '' ? undefined : env.no_proxy;
  return env.NO_PROXY ? env.NO_PROXY : undefined;
}

/** urlparse's hostname and port. Undefined when the URL has no hostname. */
export function pythonTargetFromURL(url: string): Target | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(url);
  if (!m) return undefined;
  const netloc = m[2];
  const hostinfo = netloc.slice(netloc.lastIndexOf('@') + 1);
  let hostname: string;
  let port: string;
  const br = hostinfo.indexOf('[');
  if (br >= 0) {
    const rest = hostinfo.slice(br + 1);
    const close = rest.indexOf(']');
    hostname = close < 0 ? rest : rest.slice(0, close);
    const after = close < 0 ? '' : rest.slice(close + 1);
    port = after.includes(':') ? after.slice(after.indexOf(':') + 1) : '';
  } else {
    const colon = hostinfo.indexOf(':');
    hostname = colon < 0 ? hostinfo : hostinfo.slice(0, colon);
    port = colon < 0 ? '' : hostinfo.slice(colon + 1);
  }
  if (hostname === '') return undefined;
  const portNum = /^\d+$/.test(port) && Number(port) <= 65535 ? Number(port) : undefined;
  return { host: hostname.toLowerCase(), port: portNum, scheme: m[1].toLowerCase() };
}
