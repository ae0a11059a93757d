// What one NO_PROXY entry means under one runtime, in words: for hovers ("under curl this
// matches nothing") and for the rule that flags entries that do not do what they look like.
// `inert` is true when the entry never matches what it was evidently written for under that
// runtime. The statements follow the matchers (go.ts, curl.ts, python.ts, node.ts); the tests
// check each one against them with probe destinations.
import { formatCount, rangeSize } from './cidr';
import type { NoProxyChecker } from './coverage';
import type { NoProxyEntry } from './parse';
import { DIALECT_LABEL, type Dialect } from './types';

export interface EntryMeaning {
  inert: boolean;
  text: string;
}

const ok = (text: string): EntryMeaning => ({ inert: false, text });
const dead = (text: string): EntryMeaning => ({ inert: true, text });

export function describeEntry(checker: NoProxyChecker, entry: NoProxyEntry, dialect: Dialect): EntryMeaning {
  const reading = checker.reading(dialect);
  if (entry.kind === 'empty') return dead('nothing: an empty entry is skipped');
  if (dialect === 'curl' && reading.stop && reading.stop.offset <= entry.start) return dead(`nothing: ${reading.stop.why}`);
  if (dialect === 'go' && reading.all && reading.all.end <= entry.start) return dead('nothing more: Go stops reading at the `*` before it, which already bypasses every host');
  if (entry.kind === 'multiple') return describeMultiple(checker, entry, dialect);
  return describeWord(entry, dialect, reading.all !== undefined);
}

function describeMultiple(checker: NoProxyChecker, entry: NoProxyEntry, dialect: Dialect): EntryMeaning {
  const words = entry.words ?? [];
  switch (dialect) {
    case 'go':
      return dead('nothing: Go splits NO_PROXY on commas only, so this is one name containing whitespace');
    case 'python':
      return dead(`nothing useful: Python requests deletes the spaces and reads "${entry.text.replace(/ /g, '')}"`);
    case 'curl': {
      const first = words[0];
      if (!first) return dead('nothing');
      const m = describeWord(first, 'curl', false);
      return { inert: m.inert, text: `only \`${first.text}\`: ${m.text}; curl stops reading the list at the blank after it` };
    }
    case 'node': {
      const parts = words.map((w) => `\`${w.text}\`: ${describeWord(w, 'node', checker.reading('node').all !== undefined).text}`);
      const inert = words.every((w) => describeWord(w, 'node', false).inert);
      return { inert, text: `${words.length} entries (undici also splits on whitespace): ${parts.join('; ')}` };
    }
  }
}

function addresses(entry: NoProxyEntry): string {
  return entry.range ? `${formatCount(rangeSize(entry.range))} addresses` : '';
}

function describeWord(entry: NoProxyEntry, dialect: Dialect, wholeValueStar: boolean): EntryMeaning {
  const label = DIALECT_LABEL[dialect];
  const h = entry.host ?? '';
  switch (entry.kind) {
    case 'empty':
      return dead('nothing: an empty entry is skipped');
    case 'wildcard':
      if (dialect === 'go') return ok('every host: Go bypasses the proxy for everything when `*` is any entry');
      return wholeValueStar ? ok('every host (`*` is the whole value)') : dead(`nothing: ${label} reads \`*\` as "every host" only when it is the whole NO_PROXY value`);
    case 'url':
      return dead(`nothing: a URL is compared as a host name, which it never equals${entry.urlHost ? ` (write "${entry.urlHost}")` : ''}`);
    case 'invalid':
      return dead(`nothing: ${entry.issues[0]?.message ?? 'not a host name, IP address or CIDR'}`);
    case 'multiple':
      return dead('nothing');
    case 'domain': {
      if (entry.issues.some((i) => i.code === 'trailing-dot')) {
        return dialect === 'curl' ? ok(`${h} and its subdomains (curl ignores the trailing dot)`) : dead(`nothing: ${label} compares the trailing dot literally, and host names are written without it`);
      }
      if (entry.form === 'star-dot') {
        if (dialect === 'curl' || dialect === 'python') return dead(`nothing: ${label} has no \`*.\` wildcard and compares the entry literally`);
        return dialect === 'go' ? ok(`subdomains of ${h} only (not ${h} itself)`) : ok(`${h} and its subdomains`);
      }
      if (entry.form === 'dot' && dialect === 'go') return ok(`subdomains of ${h} only (not ${h} itself)`);
      return ok(`${h} and its subdomains`);
    }
    case 'ipv4':
    case 'ipv6':
      if (entry.bracketed && dialect !== 'node') {
        const why =
          dialect === 'go'
            ? 'brackets without a port make Go read it as a host name, which never matches an IP'
            : dialect === 'curl'
              ? 'curl wants IPv6 entries without brackets'
              : 'Python requests compares IPv6 hosts without brackets';
        return dead(`nothing: ${why} (write ${h})`);
      }
      return ok(`the address ${h}${dialect === 'go' ? ' (IP literals only; names are not resolved)' : ''}`);
    case 'cidr': {
      const size = addresses(entry);
      if (dialect === 'node') return dead('nothing: undici has no CIDR support');
      if (entry.family === 6) {
        if (dialect === 'python') return dead('nothing: Python requests has no IPv6 CIDR support');
        if (dialect === 'curl') return ok(`IP addresses in ${entry.text} (${size}; curl 8.18 and later, older curl matches no IPv6 CIDR)`);
      }
      if (entry.prefix === 0) {
        if (dialect === 'python') return dead('nothing: Python requests accepts CIDR masks 1 to 32 only');
        if (dialect === 'curl') return ok(`only the address ${h}: curl reads "/0" as an exact address`);
      }
      return ok(`IP addresses in ${entry.text} (${size}), not host names`);
    }
    case 'host-port': {
      const p = entry.port;
      if (dialect === 'curl') return dead('nothing: curl does not support ports in NO_PROXY and compares the entry literally');
      if (entry.family !== undefined) {
        if (dialect === 'python') return dead('nothing: Python never matches an entry with a port against an IP host');
        return ok(`the address ${h} on port ${p} only`);
      }
      if (dialect === 'python') {
        if (entry.form === 'star-dot') return dead('nothing: Python has no `*.` wildcard and compares the entry literally');
        return ok(`${h}:${p} and its subdomains, only when the URL spells out port ${p}`);
      }
      if (entry.form === 'dot' && dialect === 'go') return ok(`subdomains of ${h} only, on port ${p} only`);
      if (entry.form === 'star-dot' && dialect === 'go') return ok(`subdomains of ${h} only, on port ${p} only`);
      return ok(`${h} and its subdomains, on port ${p} only`);
    }
  }
}

/** `Go, curl and Python`: the dialects' labels in a sentence. */
export function listDialects(ds: readonly Dialect[]): string {
  const names = ds.map((d) => DIALECT_LABEL[d]);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
