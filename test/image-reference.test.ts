// Runs every case of vectors/image-reference.json and vectors/image-normalize.json (from
// distribution/reference's own tests) against our parser and normaliser, plus offset checks
// that the vectors cannot express.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import {
  type ParsedReference,
  type ReferenceParts,
  type Span,
  parseReference,
  referenceRegexps,
  referenceString,
  withDigest,
  withName,
  withTag,
} from '../server/src/engine/images/reference';
import {
  type NormalizedReference,
  familiarMatch,
  familiarName,
  familiarString,
  parseAnyReference,
  parseDockerRef,
  parseNamed,
  parseNormalizedNamed,
  pathMatch,
  tagNameOnly,
} from '../server/src/engine/images/normalize';
import { VECTORS } from './helpers';

// ---- vector file shapes (see each file's `semantics` paragraph) ----
interface ReferenceCase {
  function: 'Parse' | 'WithName' | 'ParseNamed';
  test: string;
  input: string;
  valid: boolean;
  error?: string;
  errorMessage?: string;
  name?: string;
  domain?: string;
  path?: string;
  tag?: string | null;
  digest?: string | null;
  string?: string;
  environmentDependent?: boolean;
}
interface ComposeCase {
  test: string;
  name: string;
  tag: string | null;
  digest: string | null;
  steps: Array<'WithName' | 'WithTag' | 'WithDigest'>;
  string: string;
}
interface RegexpCase {
  regexp: 'domainAndPort' | 'anchoredName' | 'reference' | 'anchoredIdentifier';
  test: string;
  input: string;
  match: boolean;
  submatches?: Record<string, string>;
}
interface NormalizeCase {
  function: 'ParseNormalizedNamed' | 'ParseAnyReference' | 'ParseDockerRef';
  test: string;
  input: string;
  valid: boolean;
  string?: string;
  familiarName?: string;
  familiarString?: string;
  domain?: string;
  path?: string;
  tag?: string | null;
  digest?: string | null;
  digestOnly?: boolean;
  sameAsParseOf?: string;
}
interface FamiliarMatchCase {
  test: string;
  reference: string;
  pattern: string;
  match: boolean | null;
  error: boolean;
}
interface NormalizeComposeCase {
  test: string;
  base: string;
  step: 'WithTag' | 'WithDigest';
  tag?: string;
  digest?: string;
  valid: boolean;
}

function load<T>(file: string): T {
  return JSON.parse(fs.readFileSync(nodePath.join(VECTORS, file), 'utf8')) as T;
}
const referenceVectors = load<{ cases: ReferenceCase[]; composeCases: ComposeCase[]; regexpCases: RegexpCase[] }>('image-reference.json');
const normalizeVectors = load<{ cases: NormalizeCase[]; familiarMatchCases: FamiliarMatchCase[]; composeCases: NormalizeComposeCase[] }>(
  'image-normalize.json',
);

/** Mocha titles: long inputs (the 255-character cases) shortened. */
function title(c: { test: string; input: string }): string {
  const shown = c.input.length > 60 ? `${c.input.slice(0, 40)}…(${c.input.length} chars)` : c.input;
  return `${c.test}: ${JSON.stringify(shown)}`;
}

const slice = (s: string, span: Span | undefined) => (span ? s.slice(span.start, span.end) : undefined);

/** Asserts tag/digest as the vectors mean them: null = upstream asserts there is none. */
function assertOptional(actual: string | undefined, expected: string | null | undefined, what: string) {
  if (expected === undefined) return;
  assert.equal(actual, expected ?? undefined, what);
}

/** Every part of a parsed reference must be exactly the text its span covers. */
function assertSpans(input: string, ref: ParsedReference) {
  assert.equal(slice(input, ref.spans.name), ref.name);
  assert.equal(slice(input, ref.spans.domain), ref.domain);
  assert.equal(slice(input, ref.spans.path), ref.path);
  assert.equal(slice(input, ref.spans.tag), ref.tag);
  assert.equal(slice(input, ref.spans.digest), ref.digest);
}

describe('image references: vectors/image-reference.json', () => {
  it('holds the case counts the README states', () => {
    assert.equal(referenceVectors.cases.length, 73);
    assert.equal(referenceVectors.composeCases.length, 9);
    assert.equal(referenceVectors.regexpCases.length, 110);
  });

  describe('cases', () => {
    for (const c of referenceVectors.cases) {
      it(`${c.function} ${title(c)}`, () => {
        let result;
        if (c.function === 'Parse') {
          // The sha512 case fails upstream only because that test binary registers sha256 alone.
          result = parseReference(c.input, c.environmentDependent ? { digestAlgorithms: ['sha256'] } : {});
        } else if (c.function === 'WithName') result = withName(c.input);
        else result = parseNamed(c.input);

        if (!c.valid) {
          assert.equal(result.ok, false, `expected ${c.error}`);
          if (result.ok) return;
          assert.equal(result.error, c.error);
          assert.equal(result.message, c.errorMessage);
          return;
        }
        assert.ok(result.ok, result.ok ? '' : `${result.error}: ${result.message}`);
        if (!result.ok) return;
        if (c.name !== undefined) assert.equal(result.name, c.name);
        if (c.domain !== undefined) assert.equal(result.domain ?? '', c.domain);
        if (c.path !== undefined) assert.equal(result.path, c.path);
        assertOptional(result.tag, c.tag, 'tag');
        assertOptional(result.digest, c.digest, 'digest');
        if (c.string !== undefined) assert.equal(referenceString(result), c.string);
        if (c.function !== 'ParseNamed') assertSpans(c.input, result as ParsedReference);
      });
    }

    it('accepts the sha512 digest with the algorithms docker registers (the default)', () => {
      const c = referenceVectors.cases.find((v) => v.environmentDependent)!;
      const r = parseReference(c.input);
      assert.ok(r.ok);
      assert.equal(r.digest, c.input.slice('validname@'.length));
    });
  });

  describe('composeCases', () => {
    for (const c of referenceVectors.composeCases) {
      it(`${c.test}: ${c.steps.join(' → ')} ${c.name}`, () => {
        const named = withName(c.name);
        assert.ok(named.ok);
        let ref: ReferenceParts = named;
        for (const step of c.steps.slice(1)) {
          const next = step === 'WithTag' ? withTag(ref, c.tag!) : withDigest(ref, c.digest!);
          assert.ok(next.ok, step);
          ref = next;
        }
        assert.equal(referenceString(ref), c.string);
        assert.equal(ref.tag, c.tag ?? undefined);
        assert.equal(ref.digest, c.digest ?? undefined);
      });
    }
  });

  describe('regexpCases', () => {
    for (const c of referenceVectors.regexpCases) {
      it(`${c.regexp} ${title(c)} ${c.match ? 'matches' : 'does not match'}`, () => {
        const m = referenceRegexps[c.regexp].exec(c.input);
        assert.equal(m !== null, c.match);
        if (!m || !c.submatches) return;
        // Go reports an absent group as "", JS as undefined.
        const groups = c.regexp === 'anchoredName' ? ['domain', 'path'] : ['name', 'tag', 'digest'];
        groups.forEach((g, i) => {
          if (g in c.submatches!) assert.equal(m[i + 1] ?? '', c.submatches![g], g);
        });
      });
    }
  });
});

describe('image references: offsets and error spans', () => {
  it('places domain, path, tag and digest of a registry reference', () => {
    const s = 'harbor.corp:5000/kubernaut-ai/gateway:v1.6.0@sha256:' + 'a'.repeat(64);
    const r = parseReference(s);
    assert.ok(r.ok);
    assert.deepEqual(r.spans, {
      name: { start: 0, end: 37 },
      domain: { start: 0, end: 16 },
      path: { start: 17, end: 37 },
      tag: { start: 38, end: 44 },
      digest: { start: 45, end: 116 },
    });
  });

  it('puts the uppercase error on the path', () => {
    const s = 'test:5000/Uppercase/lowercase:tag';
    const r = parseReference(s);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error, 'ErrNameContainsUppercase');
    assert.deepEqual(r.span, { start: 10, end: 29 });
  });

  it('puts the length error on the path and digest errors on the digest', () => {
    const long = `example.com/${'a'.repeat(256)}:tag`;
    const r = parseReference(long);
    assert.ok(!r.ok && r.error === 'ErrNameTooLong');
    assert.deepEqual(!r.ok && r.span, { start: 12, end: 268 });

    const short = `repo@sha256:${'f'.repeat(34)}`;
    const d = parseReference(short);
    assert.ok(!d.ok && d.error === 'digest.ErrDigestInvalidLength');
    assert.deepEqual(!d.ok && d.span, { start: 5, end: short.length });

    const upperHex = `repo@sha256:${'F'.repeat(64)}`;
    const u = parseReference(upperHex);
    assert.ok(!u.ok && u.error === 'digest.ErrDigestInvalidFormat', 'sha256 hex must be lowercase');
  });

  it('points an invalid format at the first character no reference may contain', () => {
    const s = '<mirror-registry>/rhel10/postgresql-16';
    const r = parseReference(s);
    assert.ok(!r.ok && r.error === 'ErrReferenceInvalidFormat');
    assert.deepEqual(!r.ok && r.span, { start: 0, end: 1 });
    const t = parseReference('quay.io/org/img:v1 ');
    assert.deepEqual(!t.ok && t.span, { start: 18, end: 19 });
    const longTag = parseReference(`nginx:${'a'.repeat(129)}`);
    assert.deepEqual(!longTag.ok && [longTag.error, longTag.span], ['ErrReferenceInvalidFormat', { start: 6, end: 135 }]);
    const shortDigest = parseReference('repo:v1@sha256:abc');
    assert.deepEqual(!shortDigest.ok && shortDigest.span, { start: 8, end: 18 });
    const doubleSlash = parseReference('quay.io//org/img:v1');
    assert.deepEqual(!doubleSlash.ok && doubleSlash.span, { start: 0, end: 16 });
    const colonAtEnd = parseReference('quay.io/org/img:');
    assert.deepEqual(!colonAtEnd.ok && colonAtEnd.span, { start: 15, end: 16 });
  });

  it('never throws or hangs on hostile input', () => {
    const inputs = ['a-'.repeat(50000) + '!', 'a.'.repeat(50000) + ':', `${'a'.repeat(100000)}@sha256:${'f'.repeat(100000)}`, '[' + ':'.repeat(100000), '\u0000', '😀/x'];
    const started = Date.now();
    for (const s of inputs) {
      parseReference(s);
      parseNormalizedNamed(s);
      parseAnyReference(s);
    }
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.equal(parseReference(undefined as unknown as string).ok, false);
  });
});

describe('image normalisation: vectors/image-normalize.json', () => {
  it('holds the case counts the README states', () => {
    assert.equal(normalizeVectors.cases.length, 148);
    assert.equal(normalizeVectors.familiarMatchCases.length, 10);
    assert.equal(normalizeVectors.composeCases.length, 2);
  });

  describe('cases', () => {
    for (const c of normalizeVectors.cases) {
      it(`${c.function} ${title(c)}${c.valid ? '' : ' fails'}`, () => {
        if (c.function === 'ParseAnyReference') return checkAnyReference(c);
        const result = c.function === 'ParseDockerRef' ? parseDockerRef(c.input) : parseNormalizedNamed(c.input);
        if (!c.valid) {
          assert.equal(result.ok, false, 'expected an error');
          return;
        }
        assert.ok(result.ok, result.ok ? '' : `${result.error}: ${result.message}`);
        if (!result.ok) return;
        if (c.string !== undefined) assert.equal(referenceString(result), c.string);
        if (c.familiarName !== undefined) assert.equal(familiarName(result), c.familiarName);
        if (c.familiarString !== undefined) assert.equal(familiarString(result), c.familiarString);
        if (c.domain !== undefined) assert.equal(result.domain, c.domain);
        if (c.path !== undefined) assert.equal(result.path, c.path);
        assertOptional(result.tag, c.tag, 'tag');
        assertOptional(result.digest, c.digest, 'digest');
        assertNormalizedSpans(c.input, result, c.function === 'ParseDockerRef');
      });
    }
  });

  function checkAnyReference(c: NormalizeCase) {
    const result = parseAnyReference(c.input);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(result.digestOnly, c.digestOnly);
    if (result.digestOnly) {
      assert.equal(result.digest, c.digest);
      assert.equal(familiarString(result), c.string);
      return;
    }
    assert.equal(referenceString(result), c.string);
    // "identical to Parse() of that already-canonical string": same kind and fields.
    const plain = parseReference(c.sameAsParseOf!);
    assert.ok(plain.ok);
    if (!plain.ok) return;
    assert.deepEqual(
      { domain: result.domain, path: result.path, tag: result.tag, digest: result.digest },
      { domain: plain.domain, path: plain.path, tag: plain.tag, digest: plain.digest },
    );
  }

  describe('familiarMatchCases', () => {
    for (const c of normalizeVectors.familiarMatchCases) {
      it(`${c.test}: ${c.pattern} vs ${c.reference}`, () => {
        const ref = parseAnyReference(c.reference);
        assert.ok(ref.ok);
        if (!ref.ok) return;
        const m = familiarMatch(c.pattern, ref);
        if (c.error) {
          assert.equal(m.ok, false);
          return;
        }
        assert.ok(m.ok);
        assert.equal(m.ok && m.match, c.match);
      });
    }
  });

  describe('composeCases', () => {
    for (const c of normalizeVectors.composeCases) {
      it(`${c.test}: ${c.step}(${c.tag ?? c.digest}) on ${c.base} fails`, () => {
        const base = parseNormalizedNamed(c.base);
        assert.ok(base.ok);
        if (!base.ok) return;
        const r = c.step === 'WithTag' ? withTag(base, c.tag!) : withDigest(base, c.digest!);
        assert.equal(r.ok, c.valid);
        assert.equal(!r.ok && r.error, c.step === 'WithTag' ? 'ErrTagInvalidFormat' : 'ErrDigestInvalidFormat');
      });
    }
  });
});

/** Spans of a normalised reference cover the text as written; implied parts have none. */
function assertNormalizedSpans(input: string, ref: NormalizedReference, tagMayBeImplied: boolean) {
  if (ref.impliedDomain) assert.equal(ref.spans.domain, undefined);
  else {
    const written = slice(input, ref.spans.domain);
    assert.equal(written === 'index.docker.io' ? 'docker.io' : written, ref.domain);
  }
  const writtenPath = ref.impliedLibrary ? ref.path.slice('library/'.length) : ref.path;
  assert.equal(slice(input, ref.spans.path), writtenPath);
  if (ref.spans.tag === undefined && ref.tag !== undefined) assert.ok(tagMayBeImplied && ref.tag === 'latest', 'only an implied latest has no span');
  else assert.equal(slice(input, ref.spans.tag), ref.tag);
  assert.equal(slice(input, ref.spans.digest), ref.digest);
}

describe('image normalisation: behaviour the rules rely on', () => {
  it('places the written parts of a familiar Docker Hub name', () => {
    const r = parseNormalizedNamed('postgres:16-alpine');
    assert.ok(r.ok);
    assert.equal(referenceString(r), 'docker.io/library/postgres:16-alpine');
    assert.equal(r.impliedDomain, true);
    assert.equal(r.impliedLibrary, true);
    assert.deepEqual(r.spans, { path: { start: 0, end: 8 }, tag: { start: 9, end: 18 } });
  });

  it('maps index.docker.io to docker.io but keeps the written host span', () => {
    const r = parseNormalizedNamed('index.docker.io/nginx@sha256:' + '0'.repeat(64));
    assert.ok(r.ok);
    assert.equal(r.name, 'docker.io/library/nginx');
    assert.deepEqual(r.spans.domain, { start: 0, end: 15 });
    assert.deepEqual(r.spans.path, { start: 16, end: 21 });
    assert.deepEqual(r.spans.digest, { start: 22, end: 93 });
  });

  it('reads my-registry/app as a Docker Hub namespace and registry:5000/app as a host', () => {
    const hub = parseNormalizedNamed('my-registry/app');
    assert.ok(hub.ok && hub.domain === 'docker.io' && hub.path === 'my-registry/app');
    const host = parseNormalizedNamed('registry:5000/app');
    assert.ok(host.ok && host.domain === 'registry:5000' && host.path === 'app');
  });

  it('reports an uppercase repository with the span of the written path', () => {
    const r = parseNormalizedNamed('quay.io/Kubernaut-AI/gateway:v1');
    assert.ok(!r.ok && r.error === 'ErrNameContainsUppercase');
    assert.deepEqual(!r.ok && r.span, { start: 8, end: 28 });
    const familiar = parseNormalizedNamed('docker/Docker');
    assert.ok(!familiar.ok && familiar.error === 'ErrNameContainsUppercase');
    assert.deepEqual(!familiar.ok && familiar.span, { start: 0, end: 13 });
  });

  it('refuses a bare image ID as a name', () => {
    const r = parseNormalizedNamed('a'.repeat(64));
    assert.ok(!r.ok && r.error === 'ErrNameIsIdentifier');
  });

  it('adds latest only when there is neither tag nor digest', () => {
    const bare = parseNormalizedNamed('registry.k8s.io/kube-state-metrics/kube-state-metrics');
    assert.ok(bare.ok);
    assert.equal(tagNameOnly(bare).tag, 'latest');
    const digested = parseNormalizedNamed('busybox@sha256:' + 'e'.repeat(64));
    assert.ok(digested.ok);
    assert.equal(tagNameOnly(digested).tag, undefined);
  });

  it('pulls kubectl:latest@sha256 by digest (ParseDockerRef drops the tag and its span)', () => {
    const s = 'docker.io/bitnami/kubectl:latest@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564';
    const r = parseDockerRef(s);
    assert.ok(r.ok);
    assert.equal(r.tag, undefined);
    assert.equal(r.spans.tag, undefined);
    assert.equal(referenceString(r), 'docker.io/bitnami/kubectl@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564');
  });

  it('implements Go path.Match classes, escapes and bad patterns', () => {
    assert.deepEqual(pathMatch('a[^b]c', 'axc'), { ok: true, match: true });
    assert.deepEqual(pathMatch('a[^b]c', 'abc'), { ok: true, match: false });
    assert.deepEqual(pathMatch('a\\*b', 'a*b'), { ok: true, match: true });
    assert.deepEqual(pathMatch('a*', 'ab/c'), { ok: true, match: false });
    assert.deepEqual(pathMatch('a?c', 'a/c'), { ok: true, match: false });
    assert.equal(pathMatch('[]a]', 'a').ok, false);
    assert.equal(pathMatch('[a', 'a').ok, false);
    assert.equal(pathMatch('a\\', 'a').ok, false);
    assert.equal(pathMatch('x[a-', 'nomatch').ok, false, 'a malformed pattern is reported even without a match');
    assert.deepEqual(pathMatch('*'.repeat(200), 'a'.repeat(5000)), { ok: true, match: true });
  });
});
