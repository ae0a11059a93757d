// The document model: LSP positions (UTF-16, CRLF), path lookup through aliases and merge keys,
// the parse problems with their exact ranges, and hostile input (alias bombs, deep nesting,
// binary, 10 MB) that must give a clear problem, never a crash or a hang.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as nodePath from 'node:path';
import { isAlias, isScalar } from 'yaml';
import { LIMITS, parseValuesDocument, type ParseProblem } from '../server/src/engine/document';
import { range, REPO } from './helpers';

const parse = (text: string) => parseValuesDocument('/mem/values.yaml', text);
const brief = (p: ParseProblem) => ({ kind: p.kind, range: p.range, ...(p.firstRange ? { firstRange: p.firstRange } : {}) });

describe('document model', () => {
  describe('positions', () => {
    it('counts UTF-16 code units after emoji and CJK text', () => {
      const doc = parse('name: "😀😀"\ncjk: 日本語 # note\nafter: x\n');
      assert.deepEqual(doc.rangeOf(doc.locate(['name'])!.node), range(0, 6, 0, 12)); // two surrogate pairs: 4 units + quotes
      assert.deepEqual(doc.rangeOf(doc.locate(['cjk'])!.node), range(1, 5, 1, 8));
      assert.deepEqual(doc.rangeOf(doc.locate(['after'])!.key), range(2, 0, 2, 5));
      assert.equal(doc.offsetAt({ line: 1, character: 5 }), doc.text.indexOf('日'));
      assert.deepEqual(doc.positionAt(doc.text.indexOf('after')), { line: 2, character: 0 });
    });

    it('breaks lines at CRLF and keeps \\r out of line text and ranges', () => {
      const doc = parse('a: 1\r\nb:\r\n  c: two\r\n');
      assert.deepEqual(doc.values, { a: 1, b: { c: 'two' } });
      assert.deepEqual(doc.rangeOf(doc.locate(['b', 'c'])!.node), range(2, 5, 2, 8));
      assert.equal(doc.lineText(1), 'b:');
      assert.equal(doc.lineCount, 4);
      assert.deepEqual(doc.positionAt(doc.text.length), { line: 3, character: 0 });
      assert.equal(doc.offsetAt({ line: 2, character: 99 }), doc.text.indexOf('c: two') + 'c: two\r\n'.length);
    });

    it('breaks lines at a lone CR as LSP does', () => {
      const doc = parse('a: 1\rb: 2\n');
      assert.deepEqual(doc.positionAt(doc.text.indexOf('b')), { line: 1, character: 0 });
    });
  });

  describe('locate', () => {
    const text = 'base: &b\n  image: nginx\n  tag: "1"\nsvc:\n  <<: *b\n  tag: "2"\nref: *b\nlist:\n  - x\n  - *b\n';
    const doc = parse(text);

    it('applies merge keys in the values, explicit keys winning', () => {
      assert.deepEqual(doc.values, {
        base: { image: 'nginx', tag: '1' },
        svc: { image: 'nginx', tag: '2' },
        ref: { image: 'nginx', tag: '1' },
        list: ['x', { image: 'nginx', tag: '1' }],
      });
    });

    it('finds a merged key through the merge alias, and reports that alias', () => {
      const loc = doc.locate(['svc', 'image'])!;
      assert.deepEqual(doc.rangeOf(loc.node), range(1, 9, 1, 14)); // the anchored definition
      assert.ok(loc.viaAlias && isAlias(loc.viaAlias));
      assert.deepEqual(doc.rangeOf(loc.viaAlias), range(4, 6, 4, 8)); // `*b` after `<<:`
    });

    it('prefers an explicit key over a merged one (no alias involved)', () => {
      const loc = doc.locate(['svc', 'tag'])!;
      assert.deepEqual(doc.rangeOf(loc.node), range(5, 7, 5, 10));
      assert.equal(loc.viaAlias, undefined);
    });

    it('goes through a plain alias value and a sequence item alias', () => {
      const ref = doc.locate(['ref', 'tag'])!;
      assert.deepEqual(doc.rangeOf(ref.viaAlias), range(6, 5, 6, 7));
      const item = doc.locate(['list', 1, 'image'])!;
      assert.deepEqual(doc.rangeOf(item.viaAlias), range(9, 4, 9, 6));
      assert.ok(isScalar(item.node) && item.node.value === 'nginx');
    });

    it('resolves an alias to the nearest anchor defined before it', () => {
      const d = parse('a: &x 1\nb: *x\nc: &x 2\nd: *x\n');
      assert.deepEqual(d.values, { a: 1, b: 1, c: 2, d: 2 });
      assert.deepEqual(d.rangeOf(d.aliasTarget(d.locate(['d'])!.node as never)), range(2, 6, 2, 7));
    });

    it('returns undefined for a missing path', () => {
      assert.equal(doc.locate(['svc', 'nope']), undefined);
      assert.equal(doc.locate(['list', 5]), undefined);
    });
  });

  describe('problems', () => {
    it('duplicate key: on the second key, firstRange on the first', () => {
      const doc = parse('image:\n  tag: "1"\nreplicas: 1\nimage:\n  tag: "2"\n');
      assert.deepEqual(doc.problems.map(brief), [{ kind: 'duplicate-key', range: range(3, 0, 3, 5), firstRange: range(0, 0, 0, 5) }]);
      assert.match(doc.problems[0].message, /Duplicate key "image" \(first defined on line 1\)/);
      assert.deepEqual(doc.values, { image: { tag: '2' }, replicas: 1 }); // the last one wins, as in Helm
    });

    it('a merge key repeated is not a duplicate key', () => {
      const doc = parse('a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n');
      assert.deepEqual(doc.problems, []);
    });

    it('syntax error: from the error position to the end of its line', () => {
      const doc = parse('a: 1\nb: [1, 2\nc: 3\n');
      assert.deepEqual(doc.problems.map(brief), [{ kind: 'syntax', range: range(2, 0, 2, 4) }]);
      assert.match(doc.problems[0].message, /Flow sequence/);
      assert.doesNotMatch(doc.problems[0].message, /at line \d+/);
    });

    it('unknown alias: on the alias', () => {
      const doc = parse('a: 1\nb: *nowhere\n');
      assert.deepEqual(doc.problems.map(brief), [{ kind: 'syntax', range: range(1, 3, 1, 11) }]);
      assert.match(doc.problems[0].message, /Unknown alias \*nowhere/);
    });

    it('multi-document: a warning on the second document marker; only the first document counts', () => {
      const doc = parse('a: 1\n---\nb: 2\n');
      assert.deepEqual(doc.problems.map(brief), [{ kind: 'multi-document', range: range(1, 0, 1, 3) }]);
      assert.deepEqual(doc.values, { a: 1 });
    });

    it('binary input: one problem, not parsed', () => {
      const doc = parse('\u0000\u0001\u0002PK\u0003\u0004 binary');
      assert.deepEqual(doc.problems.map(brief), [{ kind: 'binary', range: range(0, 0, 0, 14) }]);
      assert.equal(doc.values, null);
      assert.equal(doc.root, null);
      assert.equal(doc.locate(['a']), undefined);
    });

    it('many syntax errors are capped', () => {
      const doc = parse(Array.from({ length: 300 }, (_, i) => `k${i}: [\n`).join('') + 'x: "\n');
      const syntax = doc.problems.filter((p) => p.kind === 'syntax');
      assert.ok(syntax.length <= LIMITS.maxSyntaxErrors + 1, `${syntax.length} problems`);
    });
  });

  describe('hostile input', () => {
    it('an alias bomb (billion laughs, 9×9) gives alias-limit and completes', () => {
      let text = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
      for (let i = 1; i < 9; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
      text += 'bomb: *a8\n';
      const doc = parse(text);
      const limit = doc.problems.find((p) => p.kind === 'alias-limit');
      assert.ok(limit, JSON.stringify(doc.problems));
      assert.equal(limit.range.start.line >= 6, true);
      assert.equal(doc.valuesIncomplete, true);
      assert.equal(doc.locate(['a1', 0, 0])?.viaAlias?.source, 'a0');
    });

    for (const [label, text, at] of [
      ['10,000 nested flow sequences', 'a: ' + '['.repeat(10_000) + '\n', range(0, 501, 0, 10_003)],
      ['10,000 nested flow maps at the top', '{'.repeat(10_000) + '\n', range(0, 499, 0, 10_000)],
      ['10,000 compact nested sequences', '- '.repeat(10_000) + 'x\n', range(0, 998, 0, 20_001)],
    ] as const) {
      it(`${label}: a depth-limit problem where the limit is crossed, no parse, no throw`, () => {
        const doc = parse(text);
        assert.deepEqual(doc.problems.map(brief), [{ kind: 'depth-limit', range: at }]);
        assert.match(doc.problems[0].message, /Nesting deeper than 500 levels/);
        assert.equal(doc.values, null);
      });
    }

    it('nesting within the limit still parses (400 flow levels)', () => {
      const doc = parse('a: ' + '['.repeat(400) + '1' + ']'.repeat(400) + '\n');
      assert.deepEqual(doc.problems, []);
      let v = (doc.values as { a: unknown }).a;
      let depth = 0;
      while (Array.isArray(v)) {
        v = v[0];
        depth++;
      }
      assert.equal(depth, 400);
      assert.equal(v, 1);
    });

    it('parsing deeply nested input repeatedly does not kill the process', function () {
      // Without the depth guard, `yaml` parsing such a text a second time aborts node itself
      // (a fatal V8 error, not an exception), so this runs in a child process.
      this.timeout(60_000);
      const script = `
        const { parseValuesDocument } = require(${JSON.stringify(nodePath.join(REPO, 'server/src/engine/document/index.ts'))});
        for (const t of ['['.repeat(10000) + '\\n', '- '.repeat(10000) + 'x\\n', '? '.repeat(10000) + 'x\\n'])
          for (let i = 0; i < 3; i++) parseValuesDocument('/x', t);
        console.log('survived');`;
      const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: REPO, encoding: 'utf8' });
      assert.equal(r.stdout.trim(), 'survived', r.stderr.slice(0, 2000));
    });

    it('a 10 MB file parses (or gives a clear problem) without crashing', function () {
      this.timeout(120_000);
      const chunks: string[] = [];
      let size = 0;
      for (let i = 0; size < 10 * 1024 * 1024; i++) {
        const chunk = `service${i}:\n  image: registry.example.com/team/app${i}:1.${i % 50}\n  replicas: ${i % 7}\n`;
        chunks.push(chunk);
        size += chunk.length;
      }
      const doc = parse(chunks.join(''));
      assert.deepEqual(doc.problems, []);
      assert.equal(Object.keys(doc.values as object).length, chunks.length);
      assert.deepEqual(doc.rangeOf(doc.locate([`service${chunks.length - 1}`, 'replicas'])!.node).start, {
        line: chunks.length * 3 - 1,
        character: 12,
      });
    });
  });
});
