// IP address parsing for the NO_PROXY matchers. Each runtime accepts a slightly different set
// of spellings, so these parsers are strict and explicit (no library guesswork) and fast enough
// to run on every entry of a 10,000-entry list. Addresses are bigints: IPv4 in 32 bits, IPv6 in
// 128 bits. Range arithmetic for whole CIDR blocks lives in cidr.ts.

export type IPFamily = 4 | 6;

export interface IPValue {
  family: IPFamily;
  value: bigint;
}

const MAX_TEXT = 64; // no valid address or CIDR text is longer; refuse before looping over 1 MB

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Dotted-quad IPv4 as Go's net.ParseIP, glibc/curl inet_pton and Node's isIPv4 read it:
 * exactly four decimal parts 0-255, no leading zeros, nothing else.
 */
export function parseIPv4(s: string): bigint | undefined {
  if (s.length < 7 || s.length > 15) return undefined;
  let value = 0;
  let parts = 0;
  let i = 0;
  while (parts < 4) {
    const start = i;
    let n = 0;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      n = n * 10 + (s.charCodeAt(i) - 48);
      i++;
      if (i - start > 3) return undefined;
    }
    const len = i - start;
    if (len === 0 || n > 255) return undefined;
    if (len > 1 && s.charCodeAt(start) === 48) return undefined; // leading zero
    value = value * 256 + n;
    parts++;
    if (parts < 4) {
      if (s.charCodeAt(i) !== 46) return undefined;
      i++;
    }
  }
  return i === s.length ? BigInt(value) : undefined;
}

/**
 * glibc inet_aton, which Python's socket.inet_aton (and so requests' is_ipv4_address) uses:
 * 1 to 4 parts, each decimal, octal (leading 0) or hex (0x), the last part filling the
 * remaining bytes ("10.1" is 10.0.0.1, "0x7f.1" is 127.0.0.1). Trailing text after a blank is
 * ignored, as glibc does.
 */
export function parseInetAton(s: string): bigint | undefined {
  if (s.length === 0 || s.length > MAX_TEXT) return undefined;
  const parts: number[] = [];
  let i = 0;
  for (;;) {
    let c = s.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    let base = 10;
    let val = 0;
    if (c === 48) {
      i++;
      c = s.charCodeAt(i);
      if (c === 120 || c === 88) {
        base = 16;
        i++;
      } else base = 8;
    }
    for (;;) {
      c = s.charCodeAt(i);
      if (isDigit(c)) {
        if (base === 8 && c >= 56) return undefined;
        val = val * base + (c - 48);
      } else if (base === 16 && hexValue(c) >= 0) {
        val = val * 16 + hexValue(c);
      } else break;
      if (val > 0xffffffff) return undefined;
      i++;
    }
    if (c === 46) {
      if (parts.length > 2 || val > 0xff) return undefined;
      parts.push(val);
      i++;
      continue;
    }
    if (i < s.length && !/\s/.test(s[i])) return undefined;
    parts.push(val);
    break;
  }
  const last = parts[parts.length - 1];
  const limit = [0xffffffff, 0xffffff, 0xffff, 0xff][parts.length - 1];
  if (last > limit) return undefined;
  let value = 0n;
  for (let k = 0; k < parts.length - 1; k++) value |= BigInt(parts[k]) << BigInt(24 - 8 * k);
  return value | BigInt(last);
}

/**
 * RFC 4291 text form without brackets or zone: hex groups, one `::`, optional dotted-quad tail.
 * This is the common ground of Go's ParseIP, inet_pton and WHATWG URL host parsing. One pass,
 * no intermediate arrays of strings (it runs on every entry of long lists).
 */
export function parseIPv6(s: string): bigint | undefined {
  const n = s.length;
  if (n < 2 || n > 45) return undefined;
  const groups = [0, 0, 0, 0, 0, 0, 0, 0];
  let count = 0;
  let dbl = -1;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return undefined;
    dbl = 0;
    i = 2;
    if (i === n) return 0n;
  }
  while (i < n) {
    if (count >= 8) return undefined;
    let j = i;
    let v = 0;
    while (j < n && j - i < 5) {
      const h = hexValue(s.charCodeAt(j));
      if (h < 0) break;
      v = v * 16 + h;
      j++;
    }
    if (j < n && s.charCodeAt(j) === 46) {
      // Dotted-quad tail: the last 32 bits.
      if (count > 6) return undefined;
      const v4 = parseIPv4(s.slice(i));
      if (v4 === undefined) return undefined;
      const x = Number(v4);
      groups[count++] = Math.floor(x / 65536);
      groups[count++] = x % 65536;
      i = n;
      break;
    }
    if (j === i || j - i > 4) return undefined;
    groups[count++] = v;
    i = j;
    if (i === n) break;
    if (s.charCodeAt(i) !== 58) return undefined;
    i++;
    if (i < n && s.charCodeAt(i) === 58) {
      if (dbl >= 0) return undefined;
      dbl = count;
      i++;
    } else if (i === n) return undefined; // a single trailing colon
  }
  if (dbl >= 0) {
    if (count > 7) return undefined;
    const tail = count - dbl;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k];
    for (let k = dbl; k < 8 - tail; k++) groups[k] = 0;
  } else if (count !== 8) return undefined;
  let value = 0n;
  for (let k = 0; k < 8; k += 2) value = (value << 32n) | BigInt(groups[k] * 65536 + groups[k + 1]);
  return value;
}

/** IPv4 (strict dotted quad) or IPv6 (bare, no zone). */
export function parseIP(s: string): IPValue | undefined {
  if (s.length > 45) return undefined;
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIPv6(s);
  if (v6 !== undefined) return { family: 6, value: v6 };
  return undefined;
}

/** An IPv6 literal with an optional `%zone` (Go's netip.ParseAddr accepts zones in hosts). */
export function parseIPWithZone(s: string): (IPValue & { zone?: string }) | undefined {
  const pct = s.indexOf('%');
  if (pct < 0) return parseIP(s);
  const v6 = parseIPv6(s.slice(0, pct));
  if (v6 === undefined || pct === s.length - 1) return undefined;
  return { family: 6, value: v6, zone: s.slice(pct + 1) };
}

/** `::ffff:a.b.c.d` as IPv4, as Go's net.IP.To4 does; any other address unchanged. */
export function unmapIPv4(ip: IPValue): IPValue {
  if (ip.family === 6 && ip.value >> 32n === 0xffffn) return { family: 4, value: ip.value & 0xffffffffn };
  return ip;
}

export function isLoopback(ip: IPValue): boolean {
  const u = unmapIPv4(ip);
  if (u.family === 4) return u.value >> 24n === 127n;
  return u.value === 1n;
}

export function formatIP(ip: IPValue): string {
  if (ip.family === 4) {
    const v = Number(ip.value);
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const groups: number[] = [];
  for (let k = 7; k >= 0; k--) groups.push(Number((ip.value >> BigInt(16 * k)) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie
  let bestStart = -1;
  let bestLen = 0;
  for (let k = 0; k < 8; ) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j < 8 && groups[j] === 0) j++;
    if (j - k > bestLen && j - k >= 2) {
      bestStart = k;
      bestLen = j - k;
    }
    k = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
