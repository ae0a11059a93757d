// The placeholder conventions of real charts other than `<…>`: `CHANGEME`, `REPLACE_ME`,
// `YOUR_API_KEY` / `your-proxy`, `xxx`, and ALL-CAPS names such as botkube's
// `url: 'MATTERMOST_SERVER_URL'`. Unlike `<…>` these words are also ordinary text, so a token
// counts only where the value is a host, URL, registry, endpoint, credential or account id:
// decided by the key (`url`, `server`, `token`, `realm`, `clusterName` …) or by the token's
// position inside a URL (`https://CHANGEME.example.com`, `http://xxx:8080`). Prose, Go
// templates, env references (`${VAR}`), enum-like values (`INFO`, `ClusterIP`, `ALL`) and
// values under other keys (`name: SLACK_CHANNEL`, `existingSecretKey: REGISTRY_HTTP_SECRET`)
// are left alone. A URL's user info (`http://user:changeme@proxy`) is never read: it may be a
// real password and the proxy rules own it.
import { PLACEHOLDER_TOKEN } from '../images/compose';

export type Convention = 'CHANGEME' | 'REPLACE_ME' | 'YOUR_' | 'xxx' | 'ALL-CAPS';

/** What the key says the value is. */
export type KeyRole = 'registry' | 'host' | 'secret' | 'id';

/**
 * Where the token sits: the host of a URL, another part of a URL (port, path, query), the
 * host of a host-keyed value, another part of it, or the value of a credential / id key.
 */
export type TokenPlace = 'url-host' | 'url-part' | 'host' | 'host-part' | 'secret' | 'id';

export interface ConventionToken {
  token: string;
  /** Offset of the token in the value. */
  start: number;
  convention: Convention;
  place: TokenPlace;
  role?: KeyRole;
}

/** `externalURL` → [external, url]; `api_key` → [api, key]; `HTTPS_PROXY` → [https, proxy]. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const PLURAL: Record<string, string> = {
  urls: 'url', uris: 'uri', endpoints: 'endpoint', hosts: 'host', hostnames: 'hostname', servers: 'server',
  addresses: 'address', registries: 'registry', proxies: 'proxy', webhooks: 'webhook', domains: 'domain', tokens: 'token',
};
const HOST_WORDS = new Set(['url', 'uri', 'endpoint', 'host', 'hostname', 'server', 'address', 'addr', 'proxy', 'webhook', 'dsn', 'domain', 'fqdn']);
/** One-word keys that end in a host word: `apiurl`, `webhookurl`, `httpsproxy`, `serverhost`. */
const JOINED_HOST = /(?:url|uri|endpoint|hostname|host|proxy|dsn)$/;
const SECRET_WORDS = new Set(['token', 'password', 'passwd', 'pwd', 'secret', 'apikey', 'key', 'credential', 'credentials']);
const ID_WORDS = new Set(['realm', 'tenant', 'cluster', 'account', 'org', 'organization', 'project', 'workspace']);

/** The role of a key, or undefined for keys whose values are not hosts, credentials or ids. */
export function keyRole(key: string | undefined): KeyRole | undefined {
  if (!key) return undefined;
  const words = keyWords(key);
  if (!words.length) return undefined;
  const last = PLURAL[words[words.length - 1]] ?? words[words.length - 1];
  const prev = words.length > 1 ? words[words.length - 2] : undefined;
  // `existingSecret`, `tokenSecretName`: the name of a Secret, not a credential.
  if (words.includes('existing') || (last === 'name' && (prev === 'secret' || prev === 'configmap'))) return 'id';
  if (last === 'registry') return 'registry';
  if (HOST_WORDS.has(last)) return 'host';
  if (words.length === 1 && last.length > 3 && JOINED_HOST.test(last)) return 'host';
  if (SECRET_WORDS.has(last)) return 'secret';
  if (ID_WORDS.has(last) || ((last === 'id' || last === 'name') && prev !== undefined && ID_WORDS.has(prev))) return 'id';
  return undefined;
}

/**
 * Keys under which an ALL-CAPS name is read as a placeholder credential: `token`, `password`,
 * `secret`, `apiKey`; not references to a key of a Secret (`existingSecretPasswordKey`,
 * `secretKeyRef.key`), whose values are often ALL-CAPS env-style names.
 */
function strictSecretKey(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1];
  if (words.some((w) => w === 'existing' || w === 'ref' || w === 'env' || w === 'var')) return false;
  if (last === 'token' || last === 'password' || last === 'passwd' || last === 'secret' || last === 'apikey') return true;
  return last === 'key' && words[words.length - 2] === 'api';
}

const HOST_HINT = /^(?:URL|URI|HOST|HOSTNAME|SERVER|ADDRESS|ADDR|ENDPOINT|DOMAIN|REGISTRY|PROXY|WEBHOOK|DSN|IP|FQDN)$/;
const SECRET_HINT = /^(?:TOKEN|PASSWORD|PASSWD|PWD|PASS|SECRET|KEY|APIKEY|CREDENTIALS?|CREDS)$/;
const ALL_CAPS = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const CHANGE_ME = /(?:^|[-_])change[-_]?me(?:$|[-_])/i;
const REPLACE_ME = /(?:^|[-_])replace[-_]?me(?:$|[-_])/i;
const YOUR = /^your[-_][A-Za-z0-9]/i;
const SEGMENT = /[A-Za-z0-9_-]+/g;
const SCHEME = /[A-Za-z][A-Za-z0-9+.-]*:\/\//g;
/** Text that the app or a shell expands: `${VAR}`, `$(cmd)`, `$VAR`, `%VAR%`. */
const EXPANDED = /\$\{[^}]*\}?|\$\([^)]*\)?|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%/g;

/** Hides `<…>` tokens (the other half of the rule) and expansions, keeping offsets. */
function mask(value: string): string {
  const blank = (m: string) => '\u0000'.repeat(m.length);
  return value.replace(PLACEHOLDER_TOKEN, blank).replace(EXPANDED, blank);
}

/** `xxx`-style spans in a segment: runs of `-`/`_`-joined parts made only of x (`xxxxxxxx-xxxx`), one part at least 3 long. */
function xxxSpans(segment: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const parts = [...segment.matchAll(/[^-_]+/g)];
  let i = 0;
  while (i < parts.length) {
    if (!/^(?:x+|X+)$/.test(parts[i][0])) {
      i++;
      continue;
    }
    let j = i;
    let long = false;
    while (j < parts.length && /^(?:x+|X+)$/.test(parts[j][0]) && (j === i || parts[j].index === parts[j - 1].index! + parts[j - 1][0].length + 1)) {
      if (parts[j][0].length >= 3) long = true;
      j++;
    }
    if (long) spans.push([parts[i].index!, parts[j - 1].index! + parts[j - 1][0].length]);
    i = j;
  }
  return spans;
}

interface Candidate {
  text: string;
  start: number;
  place: TokenPlace;
}

function segmentsIn(masked: string, from: number, to: number, place: TokenPlace, out: Candidate[]): void {
  const part = masked.slice(from, to);
  for (const m of part.matchAll(SEGMENT)) out.push({ text: m[0], start: from + m.index!, place });
}

/** Host labels and port of `[userinfo@]host[:port]` in masked[from, to). The user info is skipped. */
function authority(masked: string, from: number, to: number, hostPlace: TokenPlace, partPlace: TokenPlace, out: Candidate[]): void {
  const at = masked.lastIndexOf('@', to - 1);
  const hostStart = at >= from ? at + 1 : from;
  const colon = masked.indexOf(':', hostStart);
  const hostEnd = colon >= 0 && colon < to && !masked.slice(hostStart, to).startsWith('[') ? colon : to;
  segmentsIn(masked, hostStart, hostEnd, hostPlace, out);
  if (hostEnd < to) segmentsIn(masked, hostEnd, to, partPlace, out);
}

/** Keys whose value is a URL even when it is written without a scheme. */
const URL_KEY = /(?:url|uri|webhook|dsn)s?$/i;

function candidates(masked: string, role: KeyRole | undefined, key: string | undefined): Candidate[] {
  const out: Candidate[] = [];
  const urls = [...masked.matchAll(SCHEME)].filter((m) => m.index === 0 || !/[A-Za-z0-9]/.test(masked[m.index! - 1]));
  if (urls.length) {
    for (let u = 0; u < urls.length; u++) {
      const authStart = urls[u].index! + urls[u][0].length;
      const end = u + 1 < urls.length ? urls[u + 1].index! : masked.length;
      const slash = masked.slice(authStart, end).search(/[/?#]/);
      const authEnd = slash < 0 ? end : authStart + slash;
      authority(masked, authStart, authEnd, 'url-host', 'url-part', out);
      segmentsIn(masked, authEnd, end, 'url-part', out);
    }
    return out;
  }
  if (role === 'host' || role === 'registry') {
    const slash = masked.search(/[/?#]/);
    const authEnd = slash < 0 ? masked.length : slash;
    const url = key !== undefined && URL_KEY.test(key);
    authority(masked, 0, authEnd, url ? 'url-host' : 'host', url ? 'url-part' : 'host-part', out);
    segmentsIn(masked, authEnd, masked.length, url ? 'url-part' : 'host-part', out);
  } else if (role === 'secret' || role === 'id') {
    segmentsIn(masked, 0, masked.length, role, out);
  }
  return out;
}

/**
 * Placeholder tokens of the other conventions in `value`, in order. `key` is the key that
 * holds the value (for an env entry, its `name`); `direct` is false for a list item.
 */
export function findConventionTokens(value: string, key: string | undefined, direct: boolean): ConventionToken[] {
  if (value.length > 4096 || value.includes('{{')) return []; // Go templates: Helm's tpl or the app renders them
  const trimmed = value.trim();
  if (!trimmed || /\s/.test(trimmed)) return []; // prose, messages, command lines
  const role = keyRole(key);
  if (!role && !value.includes('://')) return [];
  const masked = mask(value);
  const lead = value.length - value.trimStart().length;
  const hits: ConventionToken[] = [];
  for (const c of candidates(masked, role, key)) {
    const whole = c.start === lead && c.text.length === trimmed.length;
    const push = (convention: Convention, start: number, token: string) => hits.push({ token, start, convention, place: c.place, role });
    if (CHANGE_ME.test(c.text)) push('CHANGEME', c.start, c.text);
    else if (REPLACE_ME.test(c.text)) push('REPLACE_ME', c.start, c.text);
    else if (YOUR.test(c.text)) push('YOUR_', c.start, c.text);
    else if (/x{3}/i.test(c.text) && xxxSpans(c.text).length) {
      for (const [s, e] of xxxSpans(c.text)) push('xxx', c.start + s, c.text.slice(s, e));
    } else if (ALL_CAPS.test(c.text)) {
      const words = c.text.split('_');
      // A host can hold no `_`: an ALL-CAPS name where a host goes is a placeholder.
      // A whole host-keyed value needs a host word in the name (`MATTERMOST_SERVER_URL`), so
      // that an enum such as `proxy: SYSTEM_DEFAULT` is not taken for one.
      const inHost = (c.place === 'url-host' || c.place === 'host') && !whole;
      const hostish = (role === 'host' || role === 'registry') && whole && direct && words.some((w) => HOST_HINT.test(w));
      const secretish = role === 'secret' && whole && direct && strictSecretKey(key!) && words.some((w) => SECRET_HINT.test(w));
      if (inHost || hostish || secretish) push('ALL-CAPS', c.start, c.text);
    }
  }
  return hits;
}
