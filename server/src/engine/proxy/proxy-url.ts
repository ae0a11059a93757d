// Reading an HTTP(S)_PROXY value the way the runtimes do, and printing it without its password.
//
// What each runtime accepts (research/domain.md §1.1, §1.2, §1.5 and the curl docs):
// - Go: any scheme since 2023 (http, https, socks5, socks5h are the ones its transport dials);
//   a value without a scheme is retried as `http://` + value; default port 80 (http), 443 (https).
// - curl: http, https, socks4, socks4a, socks5, socks5h; no scheme means http; a proxy without
//   a port is reached on 1080, or 443 for https:// (CURLOPT_PROXYPORT).
// - Python requests: adds `http://` when the scheme is missing; socks schemes need the PySocks
//   extra (`requests[socks]`); default ports 80/443.
// - Node undici: `new URL(value)`, so a value without a scheme is rejected; http and https only.
import type { Dialect } from '../noproxy';

export interface ProxyUrl {
  /** The trimmed value. */
  text: string;
  scheme?: string;
  /** Offsets in `text`. */
  userinfo?: { start: number; end: number; user: string; hasPassword: boolean };
  host: string;
  hostStart: number;
  hostEnd: number;
  port?: number;
  portText?: string;
  path: string;
}

export interface ProxyUrlProblem {
  severity: 'error' | 'warning';
  /** What is wrong and what to do, after the variable's name ("has no port: write it, e.g. …"). */
  message: string;
  /** Why it matters. */
  detail: string;
  /** Offsets in the trimmed value of the part at fault (whole value when absent). */
  start?: number;
  end?: number;
}

const PLACEHOLDER = /<[^<>]*>|\byour[-_]?proxy\b|\bchange[-_]?me\b|\$\{[^}]*\}|\$\([^)]*\)|\{\{|^x{3,}$/i;
const NAMED_PORT = /:(port|port-number|portnumber|p)\b/i;

/** Splits a proxy URL into its parts; undefined only when there is no host at all. */
export function parseProxyUrl(value: string): ProxyUrl | undefined {
  const text = value.trim();
  if (text === '' || text.length > 4096) return undefined;
  let rest = 0;
  let scheme: string | undefined;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = m[0].length;
  }
  const authEnd = (() => {
    const i = text.slice(rest).search(/[/?#]/);
    return i < 0 ? text.length : rest + i;
  })();
  const authority = text.slice(rest, authEnd);
  const at = authority.lastIndexOf('@');
  let userinfo: ProxyUrl['userinfo'];
  let hostPartStart = rest;
  if (at >= 0) {
    const info = authority.slice(0, at);
    const colon = info.indexOf(':');
    userinfo = { start: rest, end: rest + at, user: colon < 0 ? info : info.slice(0, colon), hasPassword: colon >= 0 && colon < info.length - 1 };
    hostPartStart = rest + at + 1;
  }
  const hostPort = text.slice(hostPartStart, authEnd);
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    host = close < 0 ? hostPort : hostPort.slice(0, close + 1);
    const after = close < 0 ? '' : hostPort.slice(close + 1);
    portText = after.startsWith(':') ? after.slice(1) : after === '' ? undefined : after;
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    portText = colon < 0 ? undefined : hostPort.slice(colon + 1);
  }
  if (host === '' && !portText) return undefined;
  const port = portText !== undefined && /^\d{1,5}$/.test(portText) ? Number(portText) : undefined;
  return { text, scheme, userinfo, host, hostStart: hostPartStart, hostEnd: hostPartStart + host.length, port, portText, path: text.slice(authEnd) };
}

/** The trimmed value with the password's characters replaced by `*` (offsets unchanged). */
function maskPassword(text: string): string {
  const u = parseProxyUrl(text);
  if (!u?.userinfo?.hasPassword) return text.replace(/([^\s:/@]+):([^\s@/]+)@/g, (_m, user: string, pass: string) => `${user}:${'*'.repeat(pass.length)}@`);
  const from = u.userinfo.start + u.userinfo.user.length + 1;
  return text.slice(0, from) + '*'.repeat(u.userinfo.end - from) + text.slice(u.userinfo.end);
}

/** The value with any password replaced by `****` (for messages, hovers and logs). */
export function redactProxyUrl(value: string): string {
  const u = parseProxyUrl(value);
  if (u?.userinfo?.hasPassword) {
    const t = u.text;
    return t.slice(0, u.userinfo.start) + u.userinfo.user + ':****' + t.slice(u.userinfo.end);
  }
  // Not a URL we can read: still never print what looks like user:password@.
  return value.replace(/([^\s:/@]+):[^\s@/]+@/g, '$1:****@');
}

// `user:password@` anywhere in a text (a URL with or without a scheme, inside YAML or JSON):
// the user part stops at `:`, `/`, `@`, whitespace and quotes; the password at `@`, `/`,
// whitespace and quotes. An image digest pin (`nginx:1.25@sha256:…`) is no user info.
const USERINFO_PASSWORD = /([^\s:/@'"]+):([^\s@/'"]+)@(?![A-Za-z0-9+._-]+:[0-9a-fA-F]{32,})/g;

/** The note reports attach to a fix whose text carried a credential. */
export const CREDENTIAL_NOTE = 'contains a credential: apply it in the editor';

/** Env var and key names that say their value is a secret (`DB_PASSWORD`, `apiToken`, `client-secret`). */
export function isSecretName(name: string): boolean {
  return /(pass(word|wd|phrase)?|secret|token|api[-_]?key|credentials?|private[-_]?key)$/i.test(name);
}

/** Whether a text carries a URL password (`scheme://user:password@host`, or `user:password@host`). */
export function carriesUrlCredential(text: string): boolean {
  // A URL with a scheme as parseProxyUrl reads it (without one, `name:tag@sha256:…` would look alike).
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text.trim()) && parseProxyUrl(text)?.userinfo?.hasPassword) return true;
  USERINFO_PASSWORD.lastIndex = 0;
  return USERINFO_PASSWORD.test(text);
}

/**
 * Whether a value is a credential to keep out of fixes, reports and logs: it carries a URL
 * password, its key or env var name marks it as secret, or the chart knowledge does
 * (`isSecret`, the knowledge's `isSecret(path)` for the value's path).
 */
export function isCredentialValue(value: string | undefined, where: { name?: string; isSecret?: () => boolean } = {}): boolean {
  if (value === undefined || value.trim() === '') return false;
  if (carriesUrlCredential(value)) return true;
  if (where.name !== undefined && isSecretName(where.name)) return true;
  return where.isSecret?.() ?? false;
}

/** A text (a fix's new text, several YAML lines) with every URL password replaced by `***`. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO_PASSWORD, '$1:***@');
}

const GO_SCHEMES = new Set(['http', 'https', 'socks5', 'socks5h']);
const CURL_SCHEMES = new Set(['http', 'https', 'socks4', 'socks4a', 'socks5', 'socks5h']);
const PYTHON_SCHEMES = new Set(['http', 'https', 'socks4', 'socks4a', 'socks5', 'socks5h']);
const NODE_SCHEMES = new Set(['http', 'https']);

function schemesOf(d: Dialect): Set<string> {
  return d === 'go' ? GO_SCHEMES : d === 'curl' ? CURL_SCHEMES : d === 'python' ? PYTHON_SCHEMES : NODE_SCHEMES;
}

const LABEL: Record<Dialect, string> = { go: 'Go', curl: 'curl', python: 'Python requests', node: 'Node.js undici' };

function list(ds: Dialect[]): string {
  const n = ds.map((d) => LABEL[d]);
  return n.length <= 1 ? n.join('') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

function validHost(host: string): boolean {
  if (host.startsWith('[')) return /^\[[0-9a-fA-F:.]+(?:%[\w.-]+)?\]$/.test(host);
  if (host.length > 253) return false;
  // Names (IDNA allowed), IPv4 literals; the labels must not be empty.
  return host.split('.').every((l) => l.length > 0 && l.length <= 63 && /^[\p{L}\p{N}_-]+$/u.test(l));
}

/**
 * What is wrong with a proxy URL under the active runtimes, first problem first. The messages
 * never contain a password (`redactProxyUrl`).
 */
export function checkProxyUrl(value: string, dialects: readonly Dialect[]): ProxyUrlProblem[] {
  const shown = `"${clip(redactProxyUrl(value.trim()))}"`;
  // Look for placeholders with the password masked (same length, so offsets hold): a password
  // is never quoted back, even when it is `changeme`.
  const masked = maskPassword(value.trim());
  const ph = PLACEHOLDER.exec(masked) ?? NAMED_PORT.exec(masked);
  if (ph) {
    return [
      {
        severity: 'error',
        message: `is still a placeholder ("${clip(redactProxyUrl(ph[0]))}"): put the real proxy URL here`,
        detail: `Helm installs ${shown} literally, and every request through the proxy fails. A proxy URL looks like http://proxy.corp.example:3128.`,
        start: ph.index,
        end: ph.index + ph[0].length,
      },
    ];
  }
  const u = parseProxyUrl(value);
  if (!u) return [{ severity: 'error', message: 'has no host: write the proxy URL, e.g. http://proxy.corp.example:3128', detail: `${shown} is not a proxy URL, so every request through it fails.` }];
  const problems: ProxyUrlProblem[] = [];
  if (!validHost(u.host)) {
    problems.push({
      severity: 'error',
      message: `has an invalid host "${clip(u.host)}": write a host name or IP address`,
      detail: `${shown} is not a proxy URL, so every request through it fails.`,
      start: u.hostStart,
      end: u.hostEnd,
    });
    return problems;
  }
  if (u.portText !== undefined && (u.port === undefined || u.port < 1 || u.port > 65535)) {
    problems.push({
      severity: 'error',
      message: `has an invalid port "${clip(u.portText)}": write a number from 1 to 65535`,
      detail: `${shown} is not a proxy URL, so every request through it fails.`,
      start: u.hostEnd,
      end: u.hostEnd + 1 + u.portText.length,
    });
    return problems;
  }
  if (u.scheme !== undefined) {
    const unsupported = dialects.filter((d) => !schemesOf(d).has(u.scheme!));
    if (unsupported.length === dialects.length && dialects.length > 0) {
      problems.push({
        severity: 'error',
        message: `uses the scheme "${u.scheme}", which ${list(unsupported)} cannot use for a proxy: write http://`,
        detail: `Every request through ${shown} fails. Write http:// for a plain proxy, https:// for a TLS proxy.`,
        start: 0,
        end: u.scheme.length,
      });
      return problems;
    }
    if (unsupported.length) {
      problems.push({
        severity: 'warning',
        message: `uses the scheme "${u.scheme}", which ${list(unsupported)} cannot use for a proxy`,
        detail: `Requests of ${list(unsupported)} through ${shown} fail; the other runtimes of this container can use it.`,
        start: 0,
        end: u.scheme.length,
      });
    } else if (u.scheme.startsWith('socks') && dialects.includes('python')) {
      problems.push({
        severity: 'warning',
        message: 'is a SOCKS proxy: Python requests needs the PySocks extra (requests[socks]) for it',
        detail: `Without PySocks, Python requests fails every request through ${shown}.`,
        start: 0,
        end: u.scheme.length,
      });
    }
  } else if (dialects.includes('node')) {
    problems.push({
      severity: 'error',
      message: `has no scheme: write http://${clip(redactProxyUrl(u.text))}`,
      detail: 'Node.js undici rejects a proxy URL without a scheme as invalid (Go, curl and Python would assume http://).',
    });
  }
  const httpLike = u.scheme === undefined || u.scheme === 'http';
  if (httpLike && u.port === undefined && dialects.includes('curl') && dialects.some((d) => d !== 'curl')) {
    const others = dialects.filter((d) => d !== 'curl' && (d !== 'node' || u.scheme !== undefined));
    const noScheme = u.scheme === undefined ? 'no scheme and ' : '';
    problems.push({
      severity: 'warning',
      message: `has ${noScheme}no port: write it, e.g. ${u.scheme ?? 'http'}://${clip(u.host)}:3128`,
      detail: `Without a port, curl connects to the proxy on port 1080${others.length ? `, ${list(others)} on port 80` : ''}.`,
    });
  }
  return problems;
}

function clip(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
}
