import { strict as assert } from 'node:assert';
import { applyEdits, fixAll } from '../server/src/engine/fixes';
import { Engine } from '../server/src/engine/lint';
import type { RuleModule } from '../server/src/engine/rules/types';
import { isMap, isScalar } from '../server/src/engine/document';
import { MemoryHost, range } from './helpers';

describe('fixes', () => {
  it('applies non-overlapping edits and keeps everything else byte for byte', () => {
    const text = 'a: 1 # keep\r\nb: "two"\r\n';
    const { text: out, applied } = applyEdits(text, [
      { range: range(1, 4, 1, 7), newText: 'TWO' },
      { range: range(0, 3, 0, 4), newText: '10' },
    ]);
    assert.equal(out, 'a: 10 # keep\r\nb: "TWO"\r\n');
    assert.equal(applied, 2);
  });

  it('skips an edit that overlaps an earlier one', () => {
    const { text, applied } = applyEdits('abcdef', [
      { range: range(0, 1, 0, 4), newText: 'X' },
      { range: range(0, 2, 0, 5), newText: 'Y' },
    ]);
    assert.equal(text, 'aXef');
    assert.equal(applied, 1);
  });

  // A rule that wants every top-level `tag` value quoted, with a safe fix: exercises the
  // fix loop (re-lint between rounds, stop when nothing is left, idempotent).
  const quoteTags: RuleModule = {
    name: 'test-quote-tags',
    check(ctx) {
      const root = ctx.doc.root;
      if (!isMap(root)) return;
      for (const pair of root.items) {
        if (isScalar(pair.key) && pair.key.value === 'tag' && isScalar(pair.value) && pair.value.type === 'PLAIN') {
          const r = ctx.doc.rangeOf(pair.value);
          ctx.report({
            code: 'test/quote-tag',
            severity: 'warning',
            message: 'quote the tag',
            range: r,
            fixes: [{ title: 'Quote', safe: true, edits: [{ range: r, newText: JSON.stringify(String(pair.value.source)) }] }],
          });
        }
      }
    },
  };

  it('fixAll re-lints until no safe fix is left and is idempotent', () => {
    const host = new MemoryHost();
    const engine = new Engine(host, { rules: [quoteTags] });
    const lintText = (text: string) => {
      host.set('/f/values.yaml', text);
      return engine.lint('/f/values.yaml').findings;
    };
    const original = 'tag: 1.2 # comment stays\nother: x\n';
    const first = fixAll('/f/values.yaml', original, lintText);
    assert.equal(first.text, 'tag: "1.2" # comment stays\nother: x\n');
    assert.equal(first.changed, true);
    const second = fixAll('/f/values.yaml', first.text, lintText);
    assert.equal(second.changed, false);
    assert.equal(second.text, first.text);
    assert.deepEqual(lintText(first.text), []);
  });
});
