// "Suppress RULE for this line / for this file" (engine/suppression-edits.ts): on real values
// files, applying the edit and re-linting silences exactly the findings it names, nothing
// else moves but by the inserted line, and a second application is not offered.
import { strict as assert } from 'node:assert';
import * as nodePath from 'node:path';
import { readFileSync } from 'node:fs';
import { applyEdits } from '../server/src/engine/fixes';
import { Engine } from '../server/src/engine/lint';
import { DiskHost } from '../server/src/engine/node-host';
import { parseValuesDocument } from '../server/src/engine/document';
import { isSuppressible, suppressFileEdit, suppressLineEdit } from '../server/src/engine/suppression-edits';
import type { Finding, TextEdit } from '../server/src/engine/types';
import { MemoryHost, REPO } from './helpers';

/** Real files with findings of several rules (proxy, NO_PROXY, images, placeholders, schema). */
const REAL_FILES = [
  'examples/monitoring-agent/values-proxy.yaml',
  'examples/monitoring-agent/values-airgap.yaml',
  'examples/monitoring-agent/values.yaml',
  'test/fixtures/lsp/proxied/values.yaml',
  'test/fixtures/lsp/mirrored/values.yaml',
  'test/fixtures/lsp/chart/values.yaml',
  'test/fixtures/lsp/images/values.yaml',
  'test/fixtures/lsp/images/values-airgap.yaml',
  'test/fixtures/lsp/broken/values.yaml',
];

/** Lints `text` as the file at `rel` (the rest of its chart read from disk). */
function lintAs(rel: string, text: string): Finding[] {
  const abs = nodePath.join(REPO, rel);
  const host = new DiskHost();
  host.open(abs, text, 1);
  return new Engine(host).lint(abs).findings.filter((f) => f.path === abs);
}

const key = (f: Finding, shiftFrom = Infinity) =>
  `${f.code}@${f.range.start.line + (f.range.start.line >= shiftFrom ? 1 : 0)}:${f.range.start.character}`;

/** Lines a new comment line shifts: every line from the insertion on, none for an appended rule. */
function insertedAt(edit: TextEdit): number {
  return edit.newText.endsWith('\n') ? edit.range.start.line : Infinity;
}

describe('suppression edits on real values files', () => {
  let checkedLine = 0;
  let checkedFile = 0;
  const codes = new Set<string>();

  for (const rel of REAL_FILES) {
    it(`${rel}: each finding's line and file suppression silences exactly that rule there, once`, () => {
      const text = readFileSync(nodePath.join(REPO, rel), 'utf8');
      const before = lintAs(rel, text);
      assert.ok(before.length, `${rel} has findings`);
      const doc = parseValuesDocument(nodePath.join(REPO, rel), text);
      for (const finding of before.filter((f) => isSuppressible(f.code))) {
        const line = finding.range.start.line;
        const lineEdit = suppressLineEdit(doc, finding.code, line);
        const lineText = doc.lineText(line).trim();
        if (!lineEdit) {
          // Only where no comment can reach: a finding on a comment or blank line (the first line).
          assert.ok(!lineText || lineText.startsWith('#'), `${rel}: no line suppression for ${key(finding)} on "${lineText}"`);
        } else {
          const edited = applyEdits(text, [lineEdit]).text;
          const shift = insertedAt(lineEdit);
          const after = lintAs(rel, edited).map((f) => key(f));
          const expected = before
            .filter((f) => !(f.code === finding.code && f.range.start.line === line))
            .map((f) => key(f, shift));
          assert.deepEqual(after, expected, `${rel}: suppressing ${key(finding)}`);
          const again = parseValuesDocument(nodePath.join(REPO, rel), edited);
          assert.equal(suppressLineEdit(again, finding.code, shift === Infinity ? line : line + 1), undefined, 'offered twice');
          checkedLine++;
          codes.add(finding.code);
        }
        const fileEdit = suppressFileEdit(doc, finding.code)!;
        assert.ok(fileEdit, `${rel}: file suppression for ${finding.code}`);
        const edited = applyEdits(text, [fileEdit]).text;
        const after = lintAs(rel, edited).map((f) => key(f));
        const expected = before.filter((f) => f.code !== finding.code).map((f) => key(f, insertedAt(fileEdit)));
        assert.deepEqual(after, expected, `${rel}: suppressing ${finding.code} for the file`);
        assert.equal(suppressFileEdit(parseValuesDocument(nodePath.join(REPO, rel), edited), finding.code), undefined, 'file suppression offered twice');
        checkedFile++;
      }
    });
  }

  after(() => {
    // The files above must keep exercising several rules, or this suite proves little.
    console.log(`      (${checkedLine} line and ${checkedFile} file suppressions of ${[...codes].sort().join(", ")})`);
    assert.ok(checkedLine >= 10 && checkedFile >= 10 && codes.size >= 5, `checked ${checkedLine} line / ${checkedFile} file suppressions of ${[...codes].join(', ')}`);
  });
});

describe('suppression edits: the comment they write', () => {
  const doc = (text: string) => parseValuesDocument('/mem/values.yaml', text);
  const apply = (text: string, edit: TextEdit | undefined) => (assert.ok(edit, 'an edit'), applyEdits(text, [edit]).text);

  it('puts the line comment above the line, with its indentation, in a list item too', () => {
    const text = 'env:\n  - name: HTTPS_PROXY # corp\n    value: "http://proxy:3128"\n';
    assert.equal(
      apply(text, suppressLineEdit(doc(text), 'proxy/url-invalid', 2)),
      'env:\n  - name: HTTPS_PROXY # corp\n    # airgap-lint-disable-next-line proxy/url-invalid\n    value: "http://proxy:3128"\n',
    );
    assert.equal(
      apply(text, suppressLineEdit(doc(text), 'proxy/no-proxy-absent', 1)),
      'env:\n  # airgap-lint-disable-next-line proxy/no-proxy-absent\n  - name: HTTPS_PROXY # corp\n    value: "http://proxy:3128"\n',
    );
  });

  it('adds the rule to the comment that already applies to the line, before its reason', () => {
    const text = 'a:\n  # airgap-lint-disable-next-line image/pinned-tag -- vendor pins it\n  # a note\n  b: 1\n';
    assert.equal(
      apply(text, suppressLineEdit(doc(text), 'image/not-mirrored', 3)),
      'a:\n  # airgap-lint-disable-next-line image/pinned-tag, image/not-mirrored -- vendor pins it\n  # a note\n  b: 1\n',
    );
    assert.equal(suppressLineEdit(doc(text), 'image/pinned-tag', 3), undefined, 'already listed');
    assert.equal(suppressLineEdit(doc('# airgap-lint-disable-next-line\nb: 1\n'), 'image/pinned-tag', 1), undefined, 'an empty list silences all');
  });

  it('keeps CRLF line ends', () => {
    const text = 'a: 1\r\nb: 2\r\n';
    assert.equal(apply(text, suppressLineEdit(doc(text), 'values/placeholder', 1)), 'a: 1\r\n# airgap-lint-disable-next-line values/placeholder\r\nb: 2\r\n');
    assert.equal(apply(text, suppressFileEdit(doc(text), 'values/placeholder')), '# airgap-lint-disable values/placeholder\r\na: 1\r\nb: 2\r\n');
  });

  it('offers no line comment inside a block scalar, where it would become part of the value', () => {
    const text = 'script: |\n  export HTTPS_PROXY=http://x\n  run\nb: 1\n';
    assert.equal(suppressLineEdit(doc(text), 'proxy/url-invalid', 1), undefined);
    assert.ok(suppressLineEdit(doc(text), 'proxy/url-invalid', 3));
  });

  it('extends the header\'s file comment, else writes one on the first line', () => {
    const text = '# yaml-language-server: $schema=values.schema.json\n# airgap-lint-disable schema/* -- generated\n---\na: 1\n';
    assert.equal(
      apply(text, suppressFileEdit(doc(text), 'image/not-mirrored')),
      '# yaml-language-server: $schema=values.schema.json\n# airgap-lint-disable schema/*, image/not-mirrored -- generated\n---\na: 1\n',
    );
    assert.equal(suppressFileEdit(doc(text), 'schema/type'), undefined, 'covered by schema/*');
    // A disable comment after the first value is not a file comment: a new one goes on top.
    const late = 'a: 1\n# airgap-lint-disable image/not-mirrored\n';
    assert.equal(apply(late, suppressFileEdit(doc(late), 'image/not-mirrored')), `# airgap-lint-disable image/not-mirrored\n${late}`);
    assert.equal(apply('', suppressFileEdit(doc(''), 'config/invalid')), '# airgap-lint-disable config/invalid\n');
  });

  it('offers nothing for yaml/syntax', () => {
    const text = 'a: [1\n';
    assert.equal(suppressLineEdit(doc(text), 'yaml/syntax', 0), undefined);
    assert.equal(suppressFileEdit(doc(text), 'yaml/syntax'), undefined);
  });

  it('works on an engine over memory too (no disk needed)', () => {
    const host = new MemoryHost({ 'c/values.yaml': 'image:\n  registry: <mirror-registry>\n' });
    const findings = new Engine(host).lint('/mem/c/values.yaml').findings;
    const placeholder = findings.find((f) => f.code === 'values/placeholder');
    assert.ok(placeholder);
    const text = host.readFile('/mem/c/values.yaml')!;
    host.set('c/values.yaml', apply(text, suppressLineEdit(doc(text), placeholder.code, placeholder.range.start.line)));
    assert.deepEqual(new Engine(host).lint('/mem/c/values.yaml').findings.filter((f) => f.code === 'values/placeholder'), []);
  });
});
