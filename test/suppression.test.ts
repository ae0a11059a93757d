import { strict as assert } from 'node:assert';
import { Engine } from '../server/src/engine/lint';
import { MemoryHost } from './helpers';

function codesAndLines(text: string): Array<[string, number]> {
  const engine = new Engine(new MemoryHost({ '/x/values.yaml': text }));
  return engine.lint('/x/values.yaml').findings.map((f) => [f.code, f.range.start.line]);
}

describe('suppression comments', () => {
  it('disable-next-line silences the named rule on the next line only', () => {
    const text = ['a: 1', '# airgap-lint-disable-next-line yaml/duplicate-key', 'a: 2', 'a: 3', ''].join('\n');
    assert.deepEqual(codesAndLines(text), [['yaml/duplicate-key', 3]]);
  });

  it('skips blank and comment lines between the marker and its target, and accepts a list', () => {
    const text = [
      'image:',
      '  tag: "1"',
      '  # airgap-lint-disable-next-line yaml/syntax, yaml/duplicate-key -- reviewed',
      '',
      '  # the tag is pinned on purpose',
      '  tag: "2"',
      '',
    ].join('\n');
    assert.deepEqual(codesAndLines(text), []);
  });

  it('does not silence other rules', () => {
    const text = ['a: 1', '# airgap-lint-disable-next-line schema/type', 'a: 2', ''].join('\n');
    assert.deepEqual(codesAndLines(text), [['yaml/duplicate-key', 2]]);
  });

  it('airgap-lint-disable at the top silences a rule for the whole file; family patterns work', () => {
    const header = ['# airgap-lint-disable yaml/*', '# values for prod', 'a: 1', 'a: 2', 'b: 1', 'b: 2', ''].join('\n');
    assert.deepEqual(codesAndLines(header), []);
    // below the first value it is not a file-wide switch
    const late = ['a: 1', '# airgap-lint-disable yaml/duplicate-key', 'a: 2', ''].join('\n');
    assert.deepEqual(codesAndLines(late), [['yaml/duplicate-key', 2]]);
  });
});
