// curl / libcurl: lib/proxy.c proxy_check_noproxy at curl 8.22 (research/domain.md §1.2 and the
// unit-1614 vectors). What is modelled:
// - The list exactly `*` bypasses everything; `*` as one entry among others means nothing.
// - Entries are separated by commas with blanks (space, tab) allowed around them; a blank that
//   is NOT followed by a comma ends the list (curl >= 8.9; older curl also split on blanks).
// - Host names match themselves and their subdomains, case-insensitively, with one leading and
//   one trailing `.` ignored on the entry and one trailing `.` ignored on the host. There is no
//   `*.` wildcard and no port support: `x.com:443` and `*.x.com` are compared literally.
// - IP hosts are compared only with IP/CIDR entries, IPv4 and IPv6, written without brackets
//   (CIDR since 7.86; IPv6 CIDR reliable since 8.18). An entry of 128 bytes or more never matches
//   an IP host. No implicit localhost bypass.
import { rangeContains, rangeHas, rangeOf, singleAddress, type IPRange } from './cidr';
import { parseIPv4, parseIPv6, type IPValue } from './ip';
import { hit, miss, nameMissWhy } from './explain';
import { perTarget, type DialectMatcher, type DialectReading, type DialectToken, type EntryMatch, type Target } from './types';

export interface CurlToken extends DialectToken {
  /** The entry read as an IPv4 / IPv6 address or CIDR, filled on first use (null = not one). */
  v4?: CurlIpEntry | null;
  v6?: CurlIpEntry | null;
}

interface CurlIpEntry {
  range: IPRange;
  written: 'ip' | 'cidr';
}

/** curlIpEntry for a token, computed once per token and family. */
function tokenIp(token: CurlToken, family: 4 | 6): CurlIpEntry | undefined {
  const key = family === 4 ? 'v4' : 'v6';
  let v = token[key];
  if (v === undefined) {
    v = curlIpEntry(token.text, family) ?? null;
    token[key] = v;
  }
  return v ?? undefined;
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

export function readCurl(noProxy: string): DialectReading<CurlToken> {
  if (noProxy === '*') {
    return { value: noProxy, tokens: [], all: { why: 'curl bypasses the proxy for every host when NO_PROXY is exactly `*`', start: 0, end: 1 } };
  }
  const tokens: CurlToken[] = [];
  let p = 0;
  const n = noProxy.length;
  while (p < n) {
    while (p < n && isBlank(noProxy[p])) p++;
    const start = p;
    while (p < n && !isBlank(noProxy[p]) && noProxy[p] !== ',') p++;
    if (p > start) tokens.push({ text: noProxy.slice(start, p), start, end: p, v4: undefined, v6: undefined });
    while (p < n && isBlank(noProxy[p])) p++;
    if (p >= n) break;
    if (noProxy[p] !== ',') {
      return {
        value: noProxy,
        tokens,
        stop: {
          offset: p,
          why: 'curl (8.9 and later) stops reading NO_PROXY at a blank that is not followed by a comma, so the rest of the list is ignored',
        },
      };
    }
    while (p < n && noProxy[p] === ',') p++;
  }
  return { value: noProxy, tokens };
}

type CurlHost = { type: 'host'; name: string } | { type: 'ipv4' | 'ipv6'; ip?: IPValue; name: string };

const curlHost = perTarget(curlHostUncached);

function curlHostUncached(target: Target): CurlHost | undefined {
  let name = target.host;
  if (name.length === 0) return undefined;
  if (name[0] === '[') {
    const close = name.indexOf(']');
    if (close < 0) return undefined;
    name = name.slice(1, close);
    const v6 = parseIPv6(name);
    return { type: 'ipv6', ip: v6 === undefined ? undefined : { family: 6, value: v6 }, name };
  }
  const v4 = parseIPv4(name);
  if (v4 !== undefined) return { type: 'ipv4', ip: { family: 4, value: v4 }, name };
  const v6 = parseIPv6(name);
  if (v6 !== undefined) return { type: 'ipv6', ip: { family: 6, value: v6 }, name };
  if (name.endsWith('.')) name = name.slice(0, -1); // one trailing dot on the host is ignored
  return { type: 'host', name };
}

/** An IP/CIDR entry as curl reads it against an IP host; undefined = the entry cannot match. */
function curlIpEntry(text: string, family: 4 | 6): CurlIpEntry | undefined {
  if (text.length >= 128) return undefined;
  const slash = text.indexOf('/');
  let bits = 0;
  let addr = text;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d+$/.test(b) || b.length > 4) return undefined; // non-numeric or trailing garbage
    bits = Number(b);
    addr = text.slice(0, slash);
  }
  if (family === 4) {
    if (bits > 32) return undefined;
    const v = parseIPv4(addr);
    if (v === undefined) return undefined;
    const ip: IPValue = { family: 4, value: v };
    return bits === 0 || bits === 32 ? { range: singleAddress(ip), written: slash >= 0 ? 'cidr' : 'ip' } : { range: rangeOf(ip, bits), written: 'cidr' };
  }
  if (bits === 0) bits = 128;
  if (bits > 128) return undefined;
  const v = parseIPv6(addr);
  if (v === undefined) return undefined;
  return { range: rangeOf({ family: 6, value: v }, bits), written: slash >= 0 ? 'cidr' : 'ip' };
}

function v6Note(family: 4 | 6, written: 'ip' | 'cidr'): string {
  return family === 6 && written === 'cidr' ? ' (curl 8.18 and later; older curl does not match IPv6 CIDR entries)' : '';
}

export const curlMatcher: DialectMatcher<CurlToken> = {
  id: 'curl',
  read: readCurl,
  implicitBypass(): string | undefined {
    return undefined;
  },
  matchToken(token: CurlToken, target: Target): EntryMatch {
    const e = '`' + token.text + '`';
    const host = curlHost(target);
    if (!host) return miss(() => 'curl checks NO_PROXY only for requests with a host name');
    if (host.type !== 'host') {
      const family = host.type === 'ipv4' ? 4 : 6;
      const entry = tokenIp(token, family);
      if (!entry || !host.ip) {
        if (token.text.startsWith('[')) return miss(() => `curl wants IPv6 entries without brackets; ${e} never matches`);
        if (token.text.length >= 128) return miss(() => `curl never matches an IP host against an entry of 128 bytes or more`);
        return miss(() => `curl compares the IP ${host.name} only with IPv${family} address or CIDR entries, and ${e} is not one`);
      }
      if (!rangeHas(entry.range, host.ip)) return miss(() => `${host.name} is outside ${e}`);
      return hit(() => `${host.name} ${entry.written === 'ip' ? 'is' : 'is inside'} ${e}${v6Note(family, entry.written)}`);
    }
    // Host-name entry: drop one trailing then one leading dot, then exact or dot-boundary tail match.
    let t = token.text;
    if (t.endsWith('.')) t = t.slice(0, -1);
    if (t.length > 0 && t[0] === '.') t = t.slice(1);
    const name = host.name.toLowerCase();
    const entry = t.toLowerCase();
    const ok = entry.length === name.length ? entry === name : entry.length < name.length && name[name.length - entry.length - 1] === '.' && name.endsWith(entry);
    if (ok) return hit(() => `${name} ${entry === name ? 'is' : 'is a subdomain of'} ${entry || '(empty)'}`);
    if (t.startsWith('*.')) return miss(() => `curl has no \`*.\` wildcard: it compares ${e} literally, so it never matches`);
    if (/:\d*$/.test(t)) return miss(() => `curl does not support ports in NO_PROXY: ${e} is compared as a host name including ":port", so it never matches`);
    return miss(() => nameMissWhy(name, entry, token.text, false));
  },
  coversRange(token: CurlToken, range: IPRange): EntryMatch {
    const e = '`' + token.text + '`';
    const entry = tokenIp(token, range.family);
    if (!entry) return miss(() => `${e} is no IPv${range.family} address or CIDR curl can read`);
    return rangeContains(entry.range, range)
      ? hit(() => `${e} contains the whole range${v6Note(range.family, entry.written)}`)
      : miss(() => `${e} does not contain the whole range`);
  },
};

/** curl's decision for one host: true = NO_PROXY matches, the proxy is not used. */
export function curlBypasses(noProxy: string, target: Target | string): boolean {
  const t = typeof target === 'string' ? curlTargetFromURL(target) : target;
  if (!t || t.host === '') return false;
  const reading = readCurl(noProxy);
  if (reading.all) return true;
  return reading.tokens.some((tok) => curlMatcher.matchToken(tok, t).matches);
}

/** The host curl checks for a URL (curl ignores ports and schemes here). */
export function curlTargetFromURL(url: string): Target | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(url);
  return m ? { host: m[1] } : undefined;
}
