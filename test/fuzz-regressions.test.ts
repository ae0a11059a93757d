// Bugs the fuzzer (test/fuzz/, `npm run fuzz`) found, each pinned by its shrunk counterexample
// so that it stays fixed whatever seed later runs use.
import { strict as assert } from 'node:assert';
import { parseValuesDocument, isMap, isScalar, type Scalar } from '../server/src/engine/document';
import { replaceScalarEdit, setScalarValueEdit } from '../server/src/engine/edits/scalar';
import { applyEdits } from '../server/src/engine/fixes';
import { LanguageService } from '../server/src/engine/service';
import { commentsOf } from './fuzz/checks';
import { LINT_BUDGET_MS, SETTINGS } from './fuzz/engine-properties';
import { applyMutations } from './fuzz/mutations';
import { hostFor, memPathOf, seedByLabel } from './fuzz/seeds';
import { MemoryHost } from './helpers';
import { assertSameAsFull } from './document-compare';
import { parseStatsOf, reparseValuesDocument } from '../server/src/engine/document/incremental';

/** The value scalar of a top-level key. */
function valueOf(text: string, key: string) {
  const doc = parseValuesDocument('/mem/values.yaml', text);
  assert.ok(isMap(doc.root));
  const pair = doc.root.items.find((p) => isScalar(p.key) && p.key.value === key)!;
  return { doc, node: pair.value as Scalar };
}

describe('bugs found by fuzzing', () => {
  describe('a value written into an empty scalar followed by a comment', () => {
    // Counterexample: ["test/fixtures/charts/datadog/values.yaml", [huge-scalar at 0], settings 1]:
    // "Point registry at the mirror" on `registry:  # gcr.io/datadoghq` gave
    // `registry:  harbor.corp:5000# gcr.io/datadoghq`: the comment became part of the value.
    const text = 'registry:  # gcr.io/datadoghq\nother: 1\n';

    for (const [name, edit] of [
      ['replaceScalarEdit', (doc: ReturnType<typeof valueOf>['doc'], node: Scalar) => replaceScalarEdit(doc, node, 'harbor.corp:5000')],
      ['setScalarValueEdit', (doc: ReturnType<typeof valueOf>['doc'], node: Scalar) => setScalarValueEdit(doc, node, 'harbor.corp:5000')],
    ] as const) {
      it(`${name} keeps the comment a comment`, () => {
        const { doc, node } = valueOf(text, 'registry');
        const out = applyEdits(text, [edit(doc, node)]).text;
        assert.equal(out, 'registry:  harbor.corp:5000 # gcr.io/datadoghq\nother: 1\n');
        assert.equal(valueOf(out, 'registry').node.value, 'harbor.corp:5000');
        assert.deepEqual(commentsOf(out), ['# gcr.io/datadoghq']);
      });
    }

    it('still glues a value to a bare `key:` with one space', () => {
      const bare = 'registry:\nother: 1\n';
      const { doc, node } = valueOf(bare, 'registry');
      assert.equal(applyEdits(bare, [replaceScalarEdit(doc, node, 'x')]).text, 'registry: x\nother: 1\n');
    });

    it('the mirror fix on the datadog chart keeps every comment', () => {
      const seed = seedByLabel('test/fixtures/charts/datadog/values.yaml');
      const text = applyMutations(seed.text, [{ kind: 'huge-scalar', at: 0, shape: 'plain', size: 1000 }]);
      const service = new LanguageService(hostFor(seed, text), { settings: SETTINGS[1] });
      const finding = service.lint(memPathOf(seed)).findings.find((f) => f.code === 'image/not-mirrored' && /Point registry at/.test(f.fixes[0]?.title ?? ''));
      assert.ok(finding, 'the registry finding');
      const out = applyEdits(text, finding.fixes[0].edits).text;
      assert.deepEqual(commentsOf(out), commentsOf(text));
      assert.match(out, /\nregistry: {2}harbor\.corp:5000 # gcr\.io\/datadoghq\n/);
    });
  });

  describe('a complex key holding a merge of a scalar', () => {
    // Counterexample: ["test/fixtures/proxy/datadog-proxy-values.yaml", [delete-lines 0 2, indent
    // 2696 4 +1, rename-key 1093 "<<"], settings 0]: a mis-indented `- <<: DD_PROXY_HTTP` became
    // part of a block sequence used as a key, and parsing threw yaml's "Merge sources must be
    // maps or map aliases" out of the engine (lint, hover and the generators all failed).
    it('parses, naming the key by the engine\'s own conversion', () => {
      for (const text of ['[{<<: x}]: v\n', '? - <<: x\n: v\n']) {
        const doc = parseValuesDocument('/mem/values.yaml', text);
        assert.deepEqual(doc.values, { '[{}]': 'v' }, text);
      }
    });

    it('lints the shrunk counterexample', () => {
      const seed = seedByLabel('test/fixtures/proxy/datadog-proxy-values.yaml');
      const text = applyMutations(seed.text, [
        { kind: 'delete-lines', at: 0, count: 2 },
        { kind: 'indent', at: 2696, count: 4, delta: 1 },
        { kind: 'rename-key', at: 1093, key: '<<' },
      ]);
      assert.match(text, /\n {4}- <<: DD_PROXY_HTTP\n/);
      const service = new LanguageService(hostFor(seed, text), { settings: SETTINGS[0] });
      const findings = service.lint(memPathOf(seed)).findings;
      assert.ok(findings.some((f) => f.code === 'yaml/syntax'));
      assert.ok(!findings.some((f) => f.code.startsWith('internal/')));
      assert.ok(service.effectiveValues(memPathOf(seed)).text.length > 0);
    });
  });

  describe('a fix that rewrites a block scalar as a quoted one', () => {
    // Counterexample: ["test/fixtures/proxy/rancher-proxy-values.yaml", [duplicate-lines 0 1,
    // replace-value 3144 ">", duplicate-lines 0 5], settings 1]: "Append … to noProxy" replaced
    // `>` and the line break after it, so the next line joined the new value's line and the
    // YAML no longer parsed. Any `key: >` or `key: |` value had that problem.
    const lint = (text: string) => {
      const host = new MemoryHost({ '/mem/r/values.yaml': text });
      return new LanguageService(host, { settings: SETTINGS[1] }).lint('/mem/r/values.yaml').findings;
    };
    const appended = '"localhost,127.0.0.1,.cluster.local,10.43.0.0/16,10.42.0.0/16,169.254.169.254';

    for (const [name, text, expected] of [
      ['an empty folded scalar', 'proxy: http://p:3128\nnoProxy: >\nother: 1\n', `proxy: http://p:3128\nnoProxy: ${appended}"\nother: 1\n`],
      ['a folded scalar', 'proxy: http://p:3128\nnoProxy: >\n  localhost\nother: 1\n', `proxy: http://p:3128\nnoProxy: ${appended}\\n"\nother: 1\n`],
      ['a literal scalar with a blank line after it', 'proxy: http://p:3128\nnoProxy: |-\n  localhost\n\nother: 1\n', `proxy: http://p:3128\nnoProxy: ${appended}"\n\nother: 1\n`],
      ['a block scalar with a comment on its header', 'proxy: http://p:3128\nnoProxy: |- # keep me\n  localhost\nother: 1\n', `proxy: http://p:3128\nnoProxy: ${appended}" # keep me\nother: 1\n`],
    ] as const) {
      it(`keeps the line break after ${name}`, () => {
        const finding = lint(text).find((f) => f.code === 'proxy/no-proxy-missing');
        assert.ok(finding?.fixes[0], 'the append fix');
        const out = applyEdits(text, finding.fixes[0].edits).text;
        assert.equal(out, expected);
        assert.deepEqual(parseValuesDocument('/mem/r/values.yaml', out).problems, []);
      });
    }
  });

  describe('an incremental parse after the end of a file is deleted down to an indentation', () => {
    // Counterexample (incremental): ["test/fixtures/charts/kubernaut-a0781038/values.yaml",
    // [[[truncate 157216], false], …]]: the text cut right after the indentation of a nested key
    // (`…\n  ` where `  resources:` was). The nested block before it was reused unchanged, but it
    // had not been the last one: the document's range still ended where the old text ended.
    it('equals a full parse', () => {
      const seed = seedByLabel('test/fixtures/charts/kubernaut-a0781038/values.yaml');
      const cut = applyMutations(seed.text, [{ kind: 'truncate', at: 157216 }]);
      assert.ok(cut.endsWith('\n  ') && seed.text.startsWith(cut));
      const first = reparseValuesDocument(undefined, '/mem/values.yaml', seed.text, 1);
      const edited = reparseValuesDocument(first, '/mem/values.yaml', cut, 2);
      assert.equal(parseStatsOf(edited)?.mode, 'blocks');
      assertSameAsFull(edited, 'truncated');
      assert.deepEqual(edited.yamlDoc?.range, [0, cut.length - 2, cut.length]);
    });
  });

  describe('a long flow sequence gone wrong', () => {
    // Counterexample (lint budget): ["test/fixtures/cli/walk/chart/ci/prod-values.yml", [indent 0 1 +1,
    // huge-scalar flow 36263, duplicate-lines, insert-line "𜉻"], settings 2]: linting took over a
    // second, most of it in yaml creating thousands of errors, each capturing a stack trace.
    const seed = seedByLabel('test/fixtures/cli/walk/chart/ci/prod-values.yml');
    const text = applyMutations(seed.text, [
      { kind: 'indent', at: 0, count: 1, delta: 1 },
      { kind: 'huge-scalar', at: 51226, shape: 'flow', size: 36263 },
      { kind: 'duplicate-lines', at: 65188, count: 2 },
      { kind: 'insert-line', at: 15248, text: '\u{1C27B}' },
    ]);

    it('parses without capturing a stack per yaml error, and restores the stack trace limit', () => {
      const limit = Error.stackTraceLimit;
      const doc = parseValuesDocument('/mem/values.yaml', text);
      assert.equal(Error.stackTraceLimit, limit);
      const errors = doc.yamlDoc?.errors ?? [];
      assert.ok(errors.length > 100, `${errors.length} yaml errors`);
      assert.ok(errors.every((e) => !/\n\s+at /.test(e.stack ?? '')), 'no stack frames');
      assert.ok(doc.problems.some((p) => p.kind === 'syntax'));
    });

    it('lints within the budget', () => {
      const host = hostFor(seed, seed.text);
      const service = new LanguageService(host, { settings: SETTINGS[2] });
      service.lint(memPathOf(seed));
      host.set(memPathOf(seed), text);
      const cpu = process.cpuUsage();
      service.lint(memPathOf(seed));
      const used = process.cpuUsage(cpu);
      assert.ok((used.user + used.system) / 1000 < LINT_BUDGET_MS, `${(used.user + used.system) / 1000} ms of CPU`);
    });
  });
});
