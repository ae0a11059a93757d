// Dialect-neutral reading of a NO_PROXY string: one entry per comma-separated item, with the
// offsets of its text in the string (so a diagnostic can sit on exactly one entry) and what the
// text looks like. How each runtime actually reads the string is in go.ts, curl.ts, python.ts and
// node.ts; this module only classifies, and never throws. It runs in linear time: a 1 MB entry
// or a list of 10,000 entries parses in a few milliseconds.
import { domainToASCII } from 'node:url';
import { isSpaceCode } from './chars';
import { rangeOf, singleAddress, type IPRange } from './cidr';
import { formatIP, parseIPv4, parseIPv6, type IPFamily } from './ip';

export type EntryKind =
  /** Nothing between two commas, or a trailing comma. Harmless everywhere. */
  | 'empty'
  /** `*` */
  | 'wildcard'
  /** A host name; `form` says whether it was written `x`, `.x` or `*.x`. */
  | 'domain'
  | 'ipv4'
  /** Bare `2001:db8::1` or bracketed `[2001:db8::1]` (see `bracketed`). */
  | 'ipv6'
  | 'cidr'
  /** A name or IP with `:port` (`redis:6379`, `10.0.0.1:443`, `[::1]:443`). */
  | 'host-port'
  /** A URL (`http://proxy.corp`) or a host with a path (`example.com/api`). */
  | 'url'
  /** Several words separated by whitespace inside one comma item (`a.com b.com`). */
  | 'multiple'
  /** None of the above: `[ocalhost`, `foo*bar`, `10.0.0.0/33`, `10.0.0.256`. */
  | 'invalid';

export type EntryIssueCode =
  | 'space-separated'
  | 'url'
  | 'trailing-dot'
  | 'bracketed-ipv6'
  | 'wildcard-label'
  | 'invalid-cidr'
  | 'invalid-ip'
  | 'invalid-port'
  | 'invalid-name'
  | 'cidr-host-bits';

export interface EntryIssue {
  code: EntryIssueCode;
  message: string;
}

export interface NoProxyEntry {
  /** Position among the comma items, counting empty ones. */
  index: number;
  /** The item's text without surrounding whitespace, as written. */
  text: string;
  /** Offsets of `text` in the NO_PROXY string (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
  /** Offsets of the whole item between its commas, whitespace included. */
  itemStart: number;
  itemEnd: number;
  kind: EntryKind;
  /** Host part, lowercased: name without `.`/`*.` prefix or trailing dot; IP without brackets. */
  host?: string;
  /** How a domain entry was written. */
  form?: 'plain' | 'dot' | 'star-dot';
  /** IPv6 written in brackets (`[::1]`, `[::1]:443`). */
  bracketed?: boolean;
  port?: number;
  family?: IPFamily;
  /** CIDR entries: the prefix length. */
  prefix?: number;
  /** IP and CIDR entries: the addresses they denote. */
  range?: IPRange;
  /** `url` entries: the `host[:port]` the user most likely meant. */
  urlHost?: string;
  /** `multiple` entries: each whitespace-separated word, classified on its own. */
  words?: NoProxyEntry[];
  issues: EntryIssue[];
}

export interface ParsedNoProxy {
  text: string;
  entries: NoProxyEntry[];
}

const MAX_LABEL = 63;
const MAX_NAME = 253;

export function parseNoProxy(text: string): ParsedNoProxy {
  const entries: NoProxyEntry[] = [];
  if (typeof text !== 'string') return { text: '', entries };
  let pos = 0;
  let index = 0;
  for (;;) {
    let comma = text.indexOf(',', pos);
    const last = comma < 0;
    if (last) comma = text.length;
    let start = pos;
    let end = comma;
    while (start < end && isSpaceCode(text.charCodeAt(start))) start++;
    while (end > start && isSpaceCode(text.charCodeAt(end - 1))) end--;
    entries.push(classifyItem(text, index++, start, end, pos, comma));
    if (last) break;
    pos = comma + 1;
  }
  // A string that is empty or only whitespace has no entries, not one empty entry.
  if (entries.length === 1 && entries[0].kind === 'empty') entries.length = 0;
  return { text, entries };
}


function classifyItem(s: string, index: number, start: number, end: number, itemStart: number, itemEnd: number): NoProxyEntry {
  const text = s.slice(start, end);
  if (start === end) return makeEntry(index, text, start, end, itemStart, itemEnd, { kind: 'empty', issues: [] });
  // Whitespace inside the item: several words.
  let inner = -1;
  for (let i = start; i < end; i++) {
    if (isSpaceCode(s.charCodeAt(i))) {
      inner = i;
      break;
    }
  }
  if (inner < 0) return makeEntry(index, text, start, end, itemStart, itemEnd, classifyWord(text));
  const words: NoProxyEntry[] = [];
  let i = start;
  while (i < end) {
    while (i < end && isSpaceCode(s.charCodeAt(i))) i++;
    const ws = i;
    while (i < end && !isSpaceCode(s.charCodeAt(i))) i++;
    if (i > ws) {
      const word = s.slice(ws, i);
      words.push(makeEntry(index, word, ws, i, itemStart, itemEnd, classifyWord(word)));
    }
  }
  const entry = makeEntry(index, text, start, end, itemStart, itemEnd, {
    kind: 'multiple',
    issues: [
      {
        code: 'space-separated',
        message: `"${clip(text)}" holds ${words.length} entries separated by whitespace; NO_PROXY entries must be separated by commas`,
      },
    ],
  });
  entry.words = words;
  return entry;
}

/** Every entry gets the same property order, which keeps V8 on one object shape (10,000 entries). */
function makeEntry(index: number, text: string, start: number, end: number, itemStart: number, itemEnd: number, c: Classified): NoProxyEntry {
  return {
    index,
    text,
    start,
    end,
    itemStart,
    itemEnd,
    kind: c.kind,
    host: c.host,
    form: c.form,
    bracketed: c.bracketed,
    port: c.port,
    family: c.family,
    prefix: c.prefix,
    range: c.range,
    urlHost: c.urlHost,
    words: undefined,
    issues: c.issues,
  };
}

type Classified = Omit<NoProxyEntry, 'index' | 'text' | 'start' | 'end' | 'itemStart' | 'itemEnd'>;

function clip(t: string): string {
  return t.length > 60 ? t.slice(0, 57) + '…' : t;
}

function invalid(code: EntryIssueCode, message: string): Classified {
  return { kind: 'invalid', issues: [{ code, message }] };
}

function classifyWord(w: string): Classified {
  if (w === '*') return { kind: 'wildcard', issues: [] };
  const lower = w.toLowerCase();

  // URL with a scheme.
  const scheme = /^[a-z][a-z0-9+.-]{0,30}:\/\//.exec(lower);
  if (scheme) {
    const rest = w.slice(scheme[0].length);
    const authEnd = rest.search(/[/?#]/);
    const authority = authEnd < 0 ? rest : rest.slice(0, authEnd);
    const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
    return {
      kind: 'url',
      urlHost: hostPort.toLowerCase() || undefined,
      issues: [{ code: 'url', message: `"${clip(w)}" is a URL; NO_PROXY entries are host names, IP addresses or CIDRs${hostPort ? ` (write "${hostPort.toLowerCase()}")` : ''}` }],
    };
  }

  // Address or host with a slash: CIDR, or a host with a path.
  const slash = lower.indexOf('/');
  if (slash >= 0) {
    const left = lower.slice(0, slash);
    const right = lower.slice(slash + 1);
    const v4 = parseIPv4(left);
    const v6 = v4 === undefined ? parseIPv6(left) : undefined;
    if (v4 !== undefined || v6 !== undefined) {
      const family: IPFamily = v4 !== undefined ? 4 : 6;
      const bits = family === 4 ? 32 : 128;
      if (!/^\d{1,3}$/.test(right) || Number(right) > bits) {
        return invalid('invalid-cidr', `"${clip(w)}" is not a valid CIDR: the prefix length must be a number from 0 to ${bits}`);
      }
      const ip = { family, value: (v4 ?? v6)! };
      const range = rangeOf(ip, Number(right));
      const issues: EntryIssue[] = [];
      if (range.start !== ip.value) {
        issues.push({ code: 'cidr-host-bits', message: `"${w}" has host bits set; it means ${formatIP({ family, value: range.start })}/${right}` });
      }
      return { kind: 'cidr', family, prefix: Number(right), host: left, range, issues };
    }
    const hostPart = classifyWord(w.slice(0, slash));
    if (hostPart.kind === 'domain' || hostPart.kind === 'host-port' || hostPart.kind === 'ipv4' || hostPart.kind === 'ipv6') {
      const meant = w.slice(0, slash).toLowerCase();
      return { kind: 'url', urlHost: meant, issues: [{ code: 'url', message: `"${clip(w)}" has a path; NO_PROXY entries are host names, IP addresses or CIDRs (write "${meant}")` }] };
    }
    if (/^[\d.]+$/.test(left)) return invalid('invalid-cidr', `"${clip(w)}" is not a valid CIDR: ${left} is not an IPv4 address`);
    return invalid('invalid-name', `"${clip(w)}" is no host name, IP address or CIDR`);
  }

  // Brackets: [v6] or [v6]:port.
  if (lower[0] === '[') {
    const close = lower.indexOf(']');
    const inside = close > 0 ? lower.slice(1, close) : '';
    const after = close > 0 ? lower.slice(close + 1) : '';
    const v6 = close > 0 ? parseIPv6(inside) : undefined;
    if (v6 === undefined || (after !== '' && !/^:\d+$/.test(after))) {
      return invalid('invalid-name', `"${clip(w)}" is no host name, IP address or CIDR`);
    }
    const ip = { family: 6 as const, value: v6 };
    if (after === '') {
      return {
        kind: 'ipv6',
        family: 6,
        bracketed: true,
        host: formatIP(ip),
        range: singleAddress(ip),
        issues: [{ code: 'bracketed-ipv6', message: `"${w}" is a bracketed IPv6 address without a port; Go and curl need it bare (${inside})` }],
      };
    }
    return portChecked({ kind: 'host-port', family: 6, bracketed: true, host: formatIP(ip), range: singleAddress(ip), issues: [] }, after.slice(1), w);
  }

  const v4 = parseIPv4(lower);
  if (v4 !== undefined) {
    const ip = { family: 4 as const, value: v4 };
    return { kind: 'ipv4', family: 4, host: lower, range: singleAddress(ip), issues: [] };
  }
  const v6 = parseIPv6(lower);
  if (v6 !== undefined) {
    const ip = { family: 6 as const, value: v6 };
    return { kind: 'ipv6', family: 6, host: formatIP(ip), range: singleAddress(ip), issues: [] };
  }
  if (/^[\d.]+$/.test(lower) && lower.split('.').length === 4) {
    return invalid('invalid-ip', `"${clip(w)}" is not a valid IPv4 address`);
  }

  // name:port or ip:port (exactly one colon).
  const colon = lower.indexOf(':');
  if (colon >= 0) {
    if (lower.indexOf(':', colon + 1) >= 0) return invalid('invalid-ip', `"${clip(w)}" is not a valid IPv6 address`);
    const hostText = lower.slice(0, colon);
    const portText = lower.slice(colon + 1);
    if (!/^\d+$/.test(portText)) return invalid('invalid-port', `"${clip(w)}" has no valid port after ":"`);
    const hv4 = parseIPv4(hostText);
    if (hv4 !== undefined) {
      return portChecked({ kind: 'host-port', family: 4, host: hostText, range: singleAddress({ family: 4, value: hv4 }), issues: [] }, portText, w);
    }
    const name = classifyName(hostText, w);
    if (name.kind !== 'domain') return name;
    return portChecked({ ...name, kind: 'host-port' }, portText, w);
  }
  return classifyName(lower, w);
}

function portChecked(c: Classified, portText: string, w: string): Classified {
  const port = Number(portText);
  if (portText.length > 5 || port > 65535) return invalid('invalid-port', `"${clip(w)}" has an out-of-range port ${clip(portText)}`);
  return { ...c, port };
}

/** A host name, possibly written `.x` or `*.x`, possibly with a trailing dot. */
function classifyName(lower: string, w: string): Classified {
  let name = lower;
  let form: 'plain' | 'dot' | 'star-dot' = 'plain';
  if (name.startsWith('*.')) {
    form = 'star-dot';
    name = name.slice(2);
  } else if (name.startsWith('.')) {
    form = 'dot';
    name = name.slice(1);
  }
  const issues: EntryIssue[] = [];
  if (name.endsWith('.') && name.length > 1) {
    issues.push({ code: 'trailing-dot', message: `"${clip(w)}" ends with a dot; Go, Python and Node compare it literally and never match it` });
    name = name.slice(0, -1);
  }
  const problem = nameProblem(name);
  if (problem) return invalid('invalid-name', `"${clip(w)}" is no host name, IP address or CIDR (${problem})`);
  if (form === 'star-dot') {
    issues.push({ code: 'wildcard-label', message: `"${clip(w)}" uses a \`*.\` wildcard, which curl and Python never match` });
  }
  return { kind: 'domain', form, host: name, issues };
}

function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name.length > MAX_NAME && name.length > 1000) return `a name of ${name.length} characters`;
  let labelStart = 0;
  let ascii = true;
  for (let i = 0; i <= name.length; i++) {
    const c = i < name.length ? name.charCodeAt(i) : 46;
    if (c === 46) {
      const len = i - labelStart;
      if (len === 0) return 'empty label';
      if (len > MAX_LABEL) return `a label of ${len} characters (at most ${MAX_LABEL})`;
      labelStart = i + 1;
      continue;
    }
    if (c > 127) {
      ascii = false;
      continue;
    }
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
    if (!ok) return `"${String.fromCharCode(c)}" is not allowed in a host name`;
  }
  if (name.length > MAX_NAME) return `a name of ${name.length} characters (at most ${MAX_NAME})`;
  if (!ascii && domainToASCII(name) === '') return 'not a valid internationalized name';
  return undefined;
}

/** The entry at a string offset (for hovers and completions), if any. */
export function entryAt(parsed: ParsedNoProxy, offset: number): NoProxyEntry | undefined {
  for (const e of parsed.entries) {
    if (e.kind !== 'empty' && offset >= e.start && offset <= e.end) return e;
  }
  return undefined;
}
