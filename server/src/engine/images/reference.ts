// Container image references as written: the grammar of github.com/distribution/reference
// (the package docker, containerd and most registries use), with no Docker Hub normalisation.
// Written from the grammar in docs/research/domain.md §2.1 and checked against every case of
// vectors/image-reference.json. Every part carries its offsets in the input, so rules can put a
// diagnostic on exactly the registry, path, tag or digest.
//
//   reference := name [':' tag] ['@' digest]
//   name      := [domain '/'] path            domain := host [':' port]

/** Half-open [start, end) offsets into the parsed string, in UTF-16 code units (a JS string index). */
export interface Span {
  start: number;
  end: number;
}

/** The parts of a reference. `domain` is absent when the name has none (`Parse` does not add docker.io). */
export interface ReferenceParts {
  domain?: string;
  path: string;
  tag?: string;
  digest?: string;
}

export interface ReferenceSpans {
  name: Span;
  domain?: Span;
  path: Span;
  tag?: Span;
  digest?: Span;
}

export interface ParsedReference extends ReferenceParts {
  /** domain + '/' + path, or just path when there is no domain. */
  name: string;
  spans: ReferenceSpans;
}

/**
 * Upstream error kinds, named after the Go error variables (go-digest's with their `digest.`
 * package prefix, as the vectors spell them). `ErrNameIsIdentifier` is the one the normaliser
 * returns for a bare 64-hex name; upstream builds that error with fmt.Errorf and gives it no name.
 */
export type ReferenceErrorKind =
  | 'ErrNameEmpty'
  | 'ErrReferenceInvalidFormat'
  | 'ErrNameContainsUppercase'
  | 'ErrNameTooLong'
  | 'ErrTagInvalidFormat'
  | 'ErrDigestInvalidFormat'
  | 'ErrNameNotCanonical'
  | 'ErrNameIsIdentifier'
  | 'digest.ErrDigestInvalidFormat'
  | 'digest.ErrDigestInvalidLength'
  | 'digest.ErrDigestUnsupported';

export interface ReferenceError {
  ok: false;
  error: ReferenceErrorKind;
  /** The upstream error text. */
  message: string;
  /** Where in the input the problem is (the path for uppercase/too long, the digest for digest errors). */
  span?: Span;
}

export type ParseReferenceResult = ({ ok: true } & ParsedReference) | ReferenceError;

export interface DigestOptions {
  /**
   * Digest algorithms treated as registered. Default: sha256, sha384 and sha512, as docker and
   * containerd register them. Upstream's own test binary registers only sha256, so the vector
   * that expects `sha512:` to be unsupported runs with `['sha256']`.
   */
  digestAlgorithms?: readonly string[];
}

/** Longest repository path `Parse` accepts (`NameTotalLengthMax`); the domain does not count. */
export const NAME_TOTAL_LENGTH_MAX = 255;

export const ERROR_MESSAGES: Record<Exclude<ReferenceErrorKind, 'ErrNameIsIdentifier'>, string> = {
  ErrNameEmpty: 'repository name must have at least one component',
  ErrReferenceInvalidFormat: 'invalid reference format',
  ErrNameContainsUppercase: 'repository name must be lowercase',
  ErrNameTooLong: `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
  ErrTagInvalidFormat: 'invalid tag format',
  ErrDigestInvalidFormat: 'invalid digest format',
  ErrNameNotCanonical: 'repository name must be canonical',
  'digest.ErrDigestInvalidFormat': 'invalid checksum digest format',
  'digest.ErrDigestInvalidLength': 'invalid checksum digest length',
  'digest.ErrDigestUnsupported': 'unsupported digest algorithm',
};

// Grammar building blocks (domain.md §2.1). JS and Go (RE2, leftmost-first) pick the same
// submatches for these patterns. `\w` is ASCII in both without the `u` flag.
const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const DOMAIN_NAME_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const OPTIONAL_PORT = '(?::[0-9]+)?';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
// Brackets with hex digits and colons only: no zone IDs, no embedded IPv4. Malformed addresses
// such as `[fd00123123123]` pass, as upstream (its comments say "will fail in validation", but
// nothing downstream checks them).
const IPV6_ADDRESS = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_NAME = `${DOMAIN_NAME_COMPONENT}(?:\\.${DOMAIN_NAME_COMPONENT})*`;
const HOST = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})`;
const DOMAIN_AND_PORT = `${HOST}${OPTIONAL_PORT}`;
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`;

/**
 * The grammar's anchored regular expressions, exported for the regexp vectors and for callers
 * that need a quick syntactic check. `d` gives capture offsets; none is global, so `exec` is
 * stateless and safe to share.
 */
export const referenceRegexps = {
  /** Registry host with optional `:port`. */
  domainAndPort: new RegExp(`^${DOMAIN_AND_PORT}$`),
  /** A whole name; groups: 1 domain, 2 path. */
  anchoredName: new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`, 'd'),
  /** A whole reference; groups: 1 name, 2 tag, 3 digest. */
  reference: new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`, 'd'),
  /** A 64-character lowercase hex image ID. */
  anchoredIdentifier: /^[a-f0-9]{64}$/,
  anchoredTag: new RegExp(`^${TAG}$`),
  anchoredDigest: new RegExp(`^${DIGEST}$`),
  /** A path (remote name) on its own, without domain. */
  anchoredRemoteName: new RegExp(`^${REMOTE_NAME}$`),
} as const;

/** Hex length per byte size of the algorithms go-digest knows. */
const DIGEST_SIZES: Readonly<Record<string, number>> = { sha256: 32, sha384: 48, sha512: 64 };
const DEFAULT_DIGEST_ALGORITHMS = ['sha256', 'sha384', 'sha512'] as const;
// go-digest's own syntax check, applied when the algorithm is not registered: it decides between
// "invalid format" and "unsupported algorithm".
const GO_DIGEST_SYNTAX = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Characters that can appear anywhere in a reference; the first one outside is the likely culprit. */
const REFERENCE_ALPHABET = /[^A-Za-z0-9._\-/:@[\]]/;

function fail(error: Exclude<ReferenceErrorKind, 'ErrNameIsIdentifier'>, span?: Span): ReferenceError {
  return span ? { ok: false, error, message: ERROR_MESSAGES[error], span } : { ok: false, error, message: ERROR_MESSAGES[error] };
}

function shift(span: [number, number] | undefined, by: number): Span | undefined {
  return span ? { start: span[0] + by, end: span[1] + by } : undefined;
}

/** Joins domain and path as upstream's Name() does. */
export function referenceName(parts: ReferenceParts): string {
  return parts.domain ? `${parts.domain}/${parts.path}` : parts.path;
}

/** Upstream String(): name[:tag][@digest]. */
export function referenceString(parts: ReferenceParts): string {
  let s = referenceName(parts);
  if (parts.tag !== undefined) s += `:${parts.tag}`;
  if (parts.digest !== undefined) s += `@${parts.digest}`;
  return s;
}

/**
 * Checks a digest as go-digest's Parse does after the grammar matched: a registered algorithm,
 * the exact hex length for it, lowercase hex. Returns undefined when the digest is fine.
 */
export function validateDigest(digest: string, options: DigestOptions = {}): ReferenceError | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0 || colon + 1 === digest.length) return fail('digest.ErrDigestInvalidFormat');
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const registered = options.digestAlgorithms ?? DEFAULT_DIGEST_ALGORITHMS;
  const size = registered.includes(algorithm) ? DIGEST_SIZES[algorithm] : undefined;
  if (size === undefined) {
    return GO_DIGEST_SYNTAX.test(digest) ? fail('digest.ErrDigestUnsupported') : fail('digest.ErrDigestInvalidFormat');
  }
  if (encoded.length !== size * 2) return fail('digest.ErrDigestInvalidLength');
  if (!/^[a-f0-9]+$/.test(encoded)) return fail('digest.ErrDigestInvalidFormat');
  return undefined;
}

/** Splits a matched name into domain and path with their offsets (relative to `offset`). */
function splitName(name: string, offset: number): { domain?: string; path: string; domainSpan?: Span; pathSpan: Span } | undefined {
  const m = referenceRegexps.anchoredName.exec(name);
  if (!m || !m.indices) return undefined;
  const pathSpan = shift(m.indices[2], offset)!;
  if (m[1] === undefined) return { path: m[2], pathSpan };
  return { domain: m[1], path: m[2], domainSpan: shift(m.indices[1], offset), pathSpan };
}

/**
 * Span for ErrReferenceInvalidFormat (upstream says only "invalid reference format"): the first
 * character no reference may contain; else the part that breaks its own grammar (digest, tag,
 * then name); else the whole input.
 */
function invalidFormatSpan(s: string): Span {
  const bad = REFERENCE_ALPHABET.exec(s);
  if (bad) {
    const cp = s.codePointAt(bad.index)!;
    return { start: bad.index, end: bad.index + (cp > 0xffff ? 2 : 1) };
  }
  const at = s.indexOf('@');
  const beforeDigest = at >= 0 ? s.slice(0, at) : s;
  if (at >= 0 && !referenceRegexps.anchoredDigest.test(s.slice(at + 1))) return { start: at + 1, end: s.length };
  const colon = beforeDigest.lastIndexOf(':');
  let nameEnd = beforeDigest.length;
  if (colon > beforeDigest.lastIndexOf('/')) {
    const tag = beforeDigest.slice(colon + 1);
    // An empty tag has no text to point at: point at its colon.
    if (!referenceRegexps.anchoredTag.test(tag)) return tag ? { start: colon + 1, end: beforeDigest.length } : { start: colon, end: colon + 1 };
    nameEnd = colon;
  }
  if (!referenceRegexps.anchoredName.test(s.slice(0, nameEnd))) return { start: 0, end: nameEnd };
  return { start: 0, end: s.length };
}

/**
 * Parses a reference exactly as written (upstream `Parse`): no docker.io, no `library/`, no
 * default tag. `test.com:5000` is the name `test.com` with tag `5000`. Checks, in upstream's
 * order: empty input, grammar (uppercase is reported when the lowercased input would match),
 * path length, digest.
 */
export function parseReference(s: string, options: DigestOptions = {}): ParseReferenceResult {
  if (typeof s !== 'string') return fail('ErrReferenceInvalidFormat');
  const m = referenceRegexps.reference.exec(s);
  if (!m || !m.indices) {
    if (s === '') return fail('ErrNameEmpty');
    const lower = referenceRegexps.reference.exec(s.toLowerCase());
    if (lower && lower.indices) {
      // Lowercasing keeps every grammar character in place, so the offsets carry over.
      const split = splitName(lower[1], lower.indices[1][0]);
      return fail('ErrNameContainsUppercase', split?.pathSpan);
    }
    return fail('ErrReferenceInvalidFormat', invalidFormatSpan(s));
  }
  const nameSpan = shift(m.indices[1], 0)!;
  const split = splitName(m[1], nameSpan.start);
  if (!split) return fail('ErrReferenceInvalidFormat', nameSpan); // unreachable: the name matched above
  if (split.path.length > NAME_TOTAL_LENGTH_MAX) return fail('ErrNameTooLong', split.pathSpan);

  const result: { ok: true } & ParsedReference = {
    ok: true,
    name: m[1],
    path: split.path,
    spans: { name: nameSpan, path: split.pathSpan },
  };
  if (split.domain !== undefined) {
    result.domain = split.domain;
    result.spans.domain = split.domainSpan;
  }
  if (m[2] !== undefined) {
    result.tag = m[2];
    result.spans.tag = shift(m.indices[2], 0);
  }
  if (m[3] !== undefined) {
    const digestSpan = shift(m.indices[3], 0)!;
    const bad = validateDigest(m[3], options);
    if (bad) return { ...bad, span: digestSpan };
    result.digest = m[3];
    result.spans.digest = digestSpan;
  }
  return result;
}

/** A bare name, no tag or digest (upstream `WithName`). */
export function withName(name: string): ({ ok: true } & ParsedReference) | ReferenceError {
  if (typeof name !== 'string') return fail('ErrReferenceInvalidFormat');
  const split = splitName(name, 0);
  if (!split) return fail('ErrReferenceInvalidFormat', name ? invalidFormatSpan(name) : undefined);
  if (split.path.length > NAME_TOTAL_LENGTH_MAX) return fail('ErrNameTooLong', split.pathSpan);
  const result: { ok: true } & ParsedReference = {
    ok: true,
    name,
    path: split.path,
    spans: { name: { start: 0, end: name.length }, path: split.pathSpan },
  };
  if (split.domain !== undefined) {
    result.domain = split.domain;
    result.spans.domain = split.domainSpan;
  }
  return result;
}

/** Sets the tag, keeping any digest (upstream `WithTag`). The result has no offsets: it was not parsed. */
export function withTag<T extends ReferenceParts>(ref: T, tag: string): ({ ok: true } & ReferenceParts) | ReferenceError {
  if (typeof tag !== 'string' || !referenceRegexps.anchoredTag.test(tag)) return fail('ErrTagInvalidFormat');
  return { ok: true, ...partsOf(ref), tag };
}

/** Sets the digest, keeping any tag (upstream `WithDigest`: syntax `algorithm:hex{32,}` only). */
export function withDigest<T extends ReferenceParts>(ref: T, digest: string): ({ ok: true } & ReferenceParts) | ReferenceError {
  if (typeof digest !== 'string' || !referenceRegexps.anchoredDigest.test(digest)) return fail('ErrDigestInvalidFormat');
  return { ok: true, ...partsOf(ref), digest };
}

function partsOf(ref: ReferenceParts): ReferenceParts {
  const parts: ReferenceParts = { path: ref.path };
  if (ref.domain) parts.domain = ref.domain;
  if (ref.tag !== undefined) parts.tag = ref.tag;
  if (ref.digest !== undefined) parts.digest = ref.digest;
  return parts;
}
