// Docker-style normalisation of image references (distribution/reference normalize.go
// semantics, domain.md §2.2): what a container runtime actually pulls when a chart says
// `postgres:16-alpine`. Checked against every case of vectors/image-normalize.json.
//
// Offsets: a normalised reference may contain parts that were never written (`docker.io`,
// `library/`, the default tag). Its spans point into the input as written; an implied part has
// no span, and the path span covers only the written path (`nginx`, not `library/nginx`).

import {
  type DigestOptions,
  type ReferenceError,
  type ReferenceParts,
  type Span,
  parseReference,
  referenceRegexps,
  referenceString,
  validateDigest,
} from './reference';

export const DEFAULT_DOMAIN = 'docker.io';
/** Docker Hub's legacy index host, rewritten to the default domain. */
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
export const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';
const LOCALHOST = 'localhost';

export interface NormalizedSpans {
  /** Absent when the domain was implied (docker.io added). */
  domain?: Span;
  /** The written path only: without an added `library/`. */
  path: Span;
  /** Absent when there is no tag, or the tag is the implied `latest` of tagNameOnly. */
  tag?: Span;
  digest?: Span;
}

/** A fully-qualified reference: the domain is always set. */
export interface NormalizedReference extends ReferenceParts {
  domain: string;
  /** domain + '/' + path. */
  name: string;
  /** True when the input named no registry and docker.io was supplied. */
  impliedDomain: boolean;
  /** True when `library/` was added to a single-component Docker Hub name. */
  impliedLibrary: boolean;
  spans: NormalizedSpans;
}

export type NormalizeResult = ({ ok: true } & NormalizedReference) | ReferenceError;

/**
 * True when the first `/`-separated element of a name is a registry host rather than a Docker
 * Hub namespace: it is `localhost`, contains `.` or `:`, or has an uppercase letter (Docker Hub
 * namespaces are lowercase). `my-registry/app` is therefore docker.io/my-registry/app.
 */
export function looksLikeRegistryHost(first: string): boolean {
  return first === LOCALHOST || first.includes('.') || first.includes(':') || first.toLowerCase() !== first;
}

interface DomainSplit {
  domain: string;
  remainder: string;
  /** The domain as written (including `index.docker.io`), or undefined when implied. */
  writtenDomain?: string;
  impliedLibrary: boolean;
}

/** splitDockerDomain: decides the registry and the remote name (tag and digest still attached). */
function splitDockerDomain(s: string): DomainSplit {
  const slash = s.indexOf('/');
  // A single element ("ubuntu", "ubuntu:latest", "192.168.0.1:80") is always a Docker Hub name:
  // "name:port" would otherwise be ambiguous with "name:tag".
  if (slash < 0) return { domain: DEFAULT_DOMAIN, remainder: OFFICIAL_REPO_PREFIX + s, impliedLibrary: true };
  const first = s.slice(0, slash);
  const rest = s.slice(slash + 1);
  let split: DomainSplit;
  if (first === LEGACY_DEFAULT_DOMAIN) split = { domain: DEFAULT_DOMAIN, remainder: rest, writtenDomain: first, impliedLibrary: false };
  else if (looksLikeRegistryHost(first)) split = { domain: first, remainder: rest, writtenDomain: first, impliedLibrary: false };
  else split = { domain: DEFAULT_DOMAIN, remainder: s, impliedLibrary: false };
  if (split.domain === DEFAULT_DOMAIN && !split.remainder.includes('/')) {
    split.remainder = OFFICIAL_REPO_PREFIX + split.remainder;
    split.impliedLibrary = true;
  }
  return split;
}

/** Maps a span of the rebuilt string back onto the input; undefined if it lies wholly in added text. */
function toInput(span: Span | undefined, delta: number, writtenFrom: number): Span | undefined {
  if (!span) return undefined;
  const start = Math.max(span.start + delta, writtenFrom);
  const end = span.end + delta;
  return end > start ? { start, end } : undefined;
}

/**
 * ParseNormalizedNamed: a familiar name such as `ubuntu`, `bitnami/redis:8.2.1` or
 * `index.docker.io/nginx` becomes the fully-qualified `docker.io/library/ubuntu` etc. Refuses a
 * bare 64-hex string (an image ID, not a name) and an uppercase repository path; the domain may
 * be uppercase.
 */
export function parseNormalizedNamed(s: string, options: DigestOptions = {}): NormalizeResult {
  if (typeof s !== 'string') return { ok: false, error: 'ErrReferenceInvalidFormat', message: 'invalid reference format' };
  if (referenceRegexps.anchoredIdentifier.test(s)) {
    return {
      ok: false,
      error: 'ErrNameIsIdentifier',
      message: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`,
      span: { start: 0, end: s.length },
    };
  }
  const split = splitDockerDomain(s);
  // The written remote name (and tag, digest) is the input's tail; everything before it in the
  // rebuilt string is either the written domain or added text.
  const writtenFrom = split.writtenDomain !== undefined ? split.writtenDomain.length + 1 : 0;
  const rebuilt = `${split.domain}/${split.remainder}`;
  const delta = s.length - rebuilt.length;

  const tagColon = split.remainder.indexOf(':');
  const remote = tagColon >= 0 ? split.remainder.slice(0, tagColon) : split.remainder;
  if (remote.toLowerCase() !== remote) {
    const remoteEnd = rebuilt.length - split.remainder.length + remote.length;
    return {
      ok: false,
      error: 'ErrNameContainsUppercase',
      message: `invalid reference format: repository name (${remote}) must be lowercase`,
      span: toInput({ start: rebuilt.length - split.remainder.length, end: remoteEnd }, delta, writtenFrom),
    };
  }

  const parsed = parseReference(rebuilt, options);
  if (!parsed.ok) {
    const span = toInput(parsed.span, delta, writtenFrom) ?? (s.length ? { start: 0, end: s.length } : undefined);
    return span ? { ...parsed, span } : { ...parsed };
  }
  // The rebuilt string always starts with "domain/", so Parse finds that domain.
  const domain = parsed.domain ?? split.domain;
  const result: { ok: true } & NormalizedReference = {
    ok: true,
    domain,
    path: parsed.path,
    name: `${domain}/${parsed.path}`,
    impliedDomain: split.writtenDomain === undefined,
    impliedLibrary: split.impliedLibrary,
    spans: { path: toInput(parsed.spans.path, delta, writtenFrom) ?? { start: writtenFrom, end: writtenFrom } },
  };
  if (split.writtenDomain !== undefined) result.spans.domain = { start: 0, end: split.writtenDomain.length };
  if (parsed.tag !== undefined) {
    result.tag = parsed.tag;
    result.spans.tag = toInput(parsed.spans.tag, delta, writtenFrom);
  }
  if (parsed.digest !== undefined) {
    result.digest = parsed.digest;
    result.spans.digest = toInput(parsed.spans.digest, delta, writtenFrom);
  }
  return result;
}

/**
 * ParseNamed: like parseNormalizedNamed, but only accepts input that is already the canonical
 * fully-qualified string (`docker.io/library/foo`, not `foo` or `docker.io/foo`).
 */
export function parseNamed(s: string, options: DigestOptions = {}): NormalizeResult {
  const ref = parseNormalizedNamed(s, options);
  if (!ref.ok) return ref;
  if (referenceString(ref) !== s) return { ok: false, error: 'ErrNameNotCanonical', message: 'repository name must be canonical' };
  return ref;
}

/** The canonical String(): `docker.io/library/postgres:16-alpine`. */
export function canonicalString(ref: ReferenceParts): string {
  return referenceString(ref);
}

/** FamiliarName: docker.io/ removed, and library/ removed when no further `/` follows. */
export function familiarName(ref: ReferenceParts): string {
  if (ref.domain !== DEFAULT_DOMAIN) return ref.domain ? `${ref.domain}/${ref.path}` : ref.path;
  if (ref.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
    if (!rest.includes('/')) return rest;
  }
  return ref.path;
}

/** FamiliarString: familiarName plus `:tag` and `@digest` (what `docker images` shows). */
export function familiarString(ref: ReferenceParts | DigestOnlyReference): string {
  if ('digestOnly' in ref && ref.digestOnly) return ref.digest;
  const parts = ref as ReferenceParts;
  let s = familiarName(parts);
  if (parts.tag !== undefined) s += `:${parts.tag}`;
  if (parts.digest !== undefined) s += `@${parts.digest}`;
  return s;
}

/** TagNameOnly: adds the default `latest` tag when the reference has neither tag nor digest. */
export function tagNameOnly<T extends ReferenceParts>(ref: T): T {
  if (ref.tag !== undefined || ref.digest !== undefined) return ref;
  return { ...ref, tag: DEFAULT_TAG };
}

/**
 * ParseDockerRef: what the runtime pulls. With both tag and digest the digest wins and the tag
 * is dropped; with neither, `latest` is added.
 */
export function parseDockerRef(s: string, options: DigestOptions = {}): NormalizeResult {
  const ref = parseNormalizedNamed(s, options);
  if (!ref.ok) return ref;
  if (ref.tag !== undefined && ref.digest !== undefined) {
    const { tag: _tag, ...rest } = ref;
    const { tag: _tagSpan, ...spans } = ref.spans;
    return { ...rest, spans };
  }
  return tagNameOnly(ref);
}

/** A reference that is only a digest (`sha256:…`), with no name. */
export interface DigestOnlyReference {
  digestOnly: true;
  digest: string;
  spans: { digest: Span };
}

export type AnyReferenceResult =
  | ({ ok: true; digestOnly: false } & NormalizedReference)
  | ({ ok: true } & DigestOnlyReference)
  | ReferenceError;

/**
 * ParseAnyReference: a bare 64-hex image ID becomes `sha256:<hex>`, a valid `algo:hex` digest
 * stays a digest-only reference, anything else is parsed as a normalised name.
 */
export function parseAnyReference(s: string, options: DigestOptions = {}): AnyReferenceResult {
  if (typeof s === 'string') {
    const whole = { start: 0, end: s.length };
    if (referenceRegexps.anchoredIdentifier.test(s)) return { ok: true, digestOnly: true, digest: `sha256:${s}`, spans: { digest: whole } };
    if (s.includes(':') && validateDigest(s, options) === undefined) return { ok: true, digestOnly: true, digest: s, spans: { digest: whole } };
  }
  const ref = parseNormalizedNamed(s, options);
  return ref.ok ? { ...ref, digestOnly: false } : ref;
}

export type PatternMatchResult = { ok: true; match: boolean } | { ok: false; error: 'ErrBadPattern'; message: string };

/**
 * FamiliarMatch: Go path.Match of the pattern against the familiar string, then (for a named
 * reference) against the familiar name. A malformed pattern is an error even when nothing matches.
 */
export function familiarMatch(pattern: string, ref: NormalizedReference | DigestOnlyReference): PatternMatchResult {
  const first = pathMatch(pattern, familiarString(ref));
  if (!first.ok || first.match || ('digestOnly' in ref && ref.digestOnly)) return first;
  return pathMatch(pattern, familiarName(ref as NormalizedReference));
}

type GlobToken =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; cp: number }
  | { kind: 'class'; negated: boolean; ranges: Array<[number, number]> };

/** Compiles a Go path.Match pattern into tokens; undefined when the pattern is malformed. */
function compileGlob(pattern: string): GlobToken[] | undefined {
  const cps = Array.from(pattern, (c) => c.codePointAt(0)!);
  const tokens: GlobToken[] = [];
  const BACKSLASH = 0x5c, DASH = 0x2d, CLOSE = 0x5d;
  let i = 0;
  // One class member: a plain character or an escaped one; `-` and `]` must be escaped here.
  const classChar = (): number | undefined => {
    if (i >= cps.length || cps[i] === DASH || cps[i] === CLOSE) return undefined;
    if (cps[i] === BACKSLASH) {
      i++;
      if (i >= cps.length) return undefined;
    }
    return cps[i++];
  };
  while (i < cps.length) {
    const c = cps[i++];
    if (c === 0x2a) tokens.push({ kind: 'star' });
    else if (c === 0x3f) tokens.push({ kind: 'any' });
    else if (c === BACKSLASH) {
      if (i >= cps.length) return undefined;
      tokens.push({ kind: 'char', cp: cps[i++] });
    } else if (c === 0x5b) {
      let negated = false;
      if (cps[i] === 0x5e) {
        negated = true;
        i++;
      }
      const ranges: Array<[number, number]> = [];
      for (;;) {
        if (i < cps.length && cps[i] === CLOSE && ranges.length > 0) {
          i++;
          break;
        }
        const lo = classChar();
        if (lo === undefined) return undefined;
        let hi = lo;
        if (cps[i] === DASH) {
          i++;
          const h = classChar();
          if (h === undefined) return undefined;
          hi = h;
        }
        ranges.push([lo, hi]);
      }
      tokens.push({ kind: 'class', negated, ranges });
    } else tokens.push({ kind: 'char', cp: c });
  }
  return tokens;
}

/**
 * Go `path.Match`: `*` any run of non-`/` characters, `?` one non-`/` character, `[...]`
 * classes with `^` negation and ranges, `\` escapes. The whole name must match.
 */
export function pathMatch(pattern: string, name: string): PatternMatchResult {
  const tokens = compileGlob(pattern);
  if (!tokens) return { ok: false, error: 'ErrBadPattern', message: 'syntax error in pattern' };
  const s = Array.from(name, (c) => c.codePointAt(0)!);
  const SLASH = 0x2f;
  const n = s.length;
  // Bottom-up over the tokens, one row per token: next[k] says whether tokens[t+1..] match
  // s[k..]. Time tokens × characters, memory one row, no recursion (no stack limit to hit).
  let next = new Uint8Array(n + 1);
  next[n] = 1;
  for (let t = tokens.length - 1; t >= 0; t--) {
    const tok = tokens[t];
    const row = new Uint8Array(n + 1);
    for (let k = n; k >= 0; k--) {
      if (tok.kind === 'star') row[k] = next[k] || (k < n && s[k] !== SLASH && row[k + 1]) ? 1 : 0;
      else if (k === n) row[k] = 0;
      else if (tok.kind === 'any') row[k] = s[k] !== SLASH && next[k + 1] ? 1 : 0;
      else if (tok.kind === 'char') row[k] = s[k] === tok.cp && next[k + 1] ? 1 : 0;
      else {
        const inClass = tok.ranges.some(([lo, hi]) => lo <= s[k] && s[k] <= hi);
        row[k] = inClass !== tok.negated && next[k + 1] ? 1 : 0;
      }
    }
    next = row;
  }
  return { ok: true, match: next[0] === 1 };
}
