// Vocabulary shared by the NO_PROXY parser, the per-runtime matchers and the coverage checks.
import type { IPRange } from './cidr';

/** How one HTTP client runtime reads NO_PROXY (rules.md "Terms", research/domain.md §1). */
export type Dialect = 'go' | 'curl' | 'python' | 'node';

export const DIALECTS: readonly Dialect[] = ['go', 'curl', 'python', 'node'];

/** Names used in messages. */
export const DIALECT_LABEL: Record<Dialect, string> = {
  go: 'Go',
  curl: 'curl',
  python: 'Python requests',
  node: 'Node.js undici',
};

export function isDialect(x: unknown): x is Dialect {
  return typeof x === 'string' && (DIALECTS as readonly string[]).includes(x);
}

/**
 * One request as a matcher sees it. `host` is the URL's host: a name, an IPv4 literal, or an
 * IPv6 literal with or without brackets. `port` is the port written in the URL (absent when the
 * URL relies on the scheme's default). With neither `port` nor `scheme` the port is unknown, and
 * an entry restricted to a port does not count as covering the request.
 */
export interface Target {
  host: string;
  port?: number;
  scheme?: string;
}

/**
 * Memoises what a matcher derives from a request: the same Target object is matched against
 * every entry of a list, so its host is normalised once per matcher, not once per entry.
 */
export function perTarget<T>(derive: (target: Target) => T): (target: Target) => T {
  const cache = new WeakMap<Target, T>();
  return (target) => {
    if (cache.has(target)) return cache.get(target) as T;
    const value = derive(target);
    cache.set(target, value);
    return value;
  };
}

/**
 * Whether one entry matches one request (or range) under one runtime, and why, as a sentence.
 * The matchers build `why` lazily (a getter, so read it rather than spread the object); the
 * public functions of coverage.ts return plain objects.
 */
export interface EntryMatch {
  matches: boolean;
  why: string;
}

/**
 * A token as one runtime reads it out of the NO_PROXY string, with its offsets in that string
 * (UTF-16 code units, end exclusive). Runtimes split differently (Go on commas, Node also on
 * whitespace, curl stops at a blank that is not followed by a comma), so each reading has its
 * own tokens; coverage maps them back to the dialect-neutral entries of parse.ts by offset.
 */
export interface DialectToken {
  text: string;
  start: number;
  end: number;
}

export interface DialectReading<T extends DialectToken = DialectToken> {
  value: string;
  tokens: T[];
  /** The whole list bypasses every host (`*` handling differs per runtime). */
  all?: { why: string; start: number; end: number };
  /** Where the runtime stops reading the list, if before its end (curl's blank rule). */
  stop?: { offset: number; why: string };
}

/** What a dialect module provides to coverage.ts. */
export interface DialectMatcher<T extends DialectToken = DialectToken> {
  id: Dialect;
  read(noProxy: string): DialectReading<T>;
  /** The runtime bypasses this request whatever NO_PROXY says (Go: localhost, loopback). */
  implicitBypass(target: Target): string | undefined;
  matchToken(token: T, target: Target): EntryMatch;
  /**
   * Whether the token matches every address of a block of more than one address (pod or
   * service CIDR). Only CIDR-capable runtimes can say yes.
   */
  coversRange(token: T, range: IPRange): EntryMatch;
}

export type { IPRange };
