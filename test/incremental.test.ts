// Incremental re-parsing must give exactly what a full parse gives: same values, problems,
// node ranges and comments. Checked on every values file of the corpus under random edits
// (seeded), and on the cases the block splitter has to get right.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { parseValuesDocument } from '../server/src/engine/document';
import { commonPrefix, commonSuffix, FIRST_PARSE_PIECE_LENGTH, keyLineStarts, parseStatsOf, reparseValuesDocument } from '../server/src/engine/document/incremental';
import { Engine } from '../server/src/engine/lint';
import { assertSameAsFull, dumpTree } from './document-compare';
import { CORPUS, MemoryHost, prng } from './helpers';

/** One random edit: characters and lines inserted or deleted anywhere, biased towards edits a user makes. */
function randomEdit(text: string, rnd: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const pos = Math.floor(rnd() * (text.length + 1));
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const nl = text.indexOf('\n', pos);
  const lineEnd = nl < 0 ? text.length : nl + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0];
  const r = rnd();
  if (r < 0.25) return text.slice(0, pos) + pick(['a', 'Z', '1', ' ', '#', ':', '-', '"', "'", '\n', '[', '&', '*', '\t']) + text.slice(pos);
  if (r < 0.4) return text.slice(0, pos) + text.slice(Math.min(text.length, pos + 1 + Math.floor(rnd() * 3)));
  if (r < 0.5) return text.slice(0, lineStart) + text.slice(lineEnd); // delete a line
  if (r < 0.6) return text.slice(0, lineStart) + text.slice(lineStart, lineEnd) + text.slice(lineStart); // duplicate a line
  if (r < 0.8) {
    const line = pick([
      '# a comment\n',
      '\n',
      `${indent}# indented comment\n`,
      `${indent}addedKey: value\n`,
      'topLevel: 1\n',
      'topLevel:\n  nested: true\n',
      `${indent}emptyValue:\n`,
      '## section\n\n',
      `${indent}- item\n`,
    ]);
    return text.slice(0, lineStart) + line + text.slice(lineStart);
  }
  if (r < 0.9) {
    // Replace a letter inside the line: typing in a value or key.
    const at = lineStart + Math.floor(rnd() * Math.max(1, lineEnd - lineStart - 1));
    return /[A-Za-z]/.test(text[at] ?? '') ? text.slice(0, at) + pick(['q', 'x', 'Y']) + text.slice(at + 1) : text;
  }
  // Delete a span of up to 200 characters.
  return text.slice(0, pos) + text.slice(Math.min(text.length, pos + Math.floor(rnd() * 200)));
}

function corpusValuesFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = nodePath.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^values.*\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(CORPUS);
  return out.sort();
}

describe('incremental re-parsing', () => {
  const files = corpusValuesFiles();

  it('finds the corpus values files', () => {
    assert.ok(files.length >= 15, `only ${files.length} values files under ${CORPUS}`);
  });

  it('gives what a full parse gives, for random edits on every corpus values file', function () {
    this.timeout(120_000);
    const rnd = prng(20260501);
    const modes: Record<string, number> = { blocks: 0, full: 0 };
    let withSplit = 0;
    let edits = 0;
    for (const file of files) {
      let text = fs.readFileSync(file, 'utf8');
      let doc = reparseValuesDocument(undefined, file, text, 1);
      // Fewer edits on the big files: each check parses the whole file again.
      const count = text.length > 100_000 ? 8 : 20;
      for (let i = 0; i < count; i++) {
        const next = randomEdit(text, rnd);
        if (next === text) continue;
        const nextDoc = reparseValuesDocument(doc, file, next, i + 2);
        edits++;
        modes[parseStatsOf(nextDoc)!.mode]++;
        if (parseStatsOf(nextDoc)!.splitBlocks) withSplit++;
        assertSameAsFull(nextDoc, `${nodePath.relative(CORPUS, file)} edit ${i}`);
        // Most broken edits are undone, as a user would: the way back must be right too.
        if (nextDoc.problems.some((p) => p.kind === 'syntax') && rnd() < 0.6) {
          doc = reparseValuesDocument(nextDoc, file, text, i + 2);
          modes[parseStatsOf(doc)!.mode]++;
          assertSameAsFull(doc, `${nodePath.relative(CORPUS, file)} undo ${i}`);
        } else {
          text = next;
          doc = nextDoc;
        }
      }
    }
    assert.ok(edits >= 300, `only ${edits} edits`);
    // The incremental path must really be exercised, not only its fallback.
    assert.ok(modes.blocks >= edits * 0.3, `block parses ${modes.blocks} of ${edits + modes.full} parses`);
    assert.ok(withSplit >= edits * 0.1, `split blocks in ${withSplit} of ${edits} edits`);
  });

  it('parses a first version in pieces, with the same nodes as a full parse, on every corpus values file and edits of it', function () {
    this.timeout(120_000);
    const rnd = prng(20261121);
    const modes: Record<string, number> = {};
    let large = 0;
    for (const file of files) {
      let text = fs.readFileSync(file, 'utf8');
      const label = nodePath.relative(CORPUS, file);
      const doc = reparseValuesDocument(undefined, file, text, 1);
      assertSameAsFull(doc, `${label} first version`);
      if (text.length >= 2 * FIRST_PARSE_PIECE_LENGTH) {
        large++;
        assert.equal(parseStatsOf(doc)?.mode, 'pieces', `${label}: ${JSON.stringify(parseStatsOf(doc))}`);
        assert.ok(parseStatsOf(doc)!.parsedPieces! >= 2, `${label}: ${JSON.stringify(parseStatsOf(doc))}`);
      } else assert.deepEqual(parseStatsOf(doc), { mode: 'full', reason: 'no-previous' }, label);
      // A text opened as it is mid-edit (broken ones included) must come out as a full parse gives it.
      for (let i = 0; i < (text.length > 100_000 ? 4 : 10); i++) {
        text = randomEdit(text, rnd);
        const edited = reparseValuesDocument(undefined, file, text, 1);
        modes[parseStatsOf(edited)!.mode] = (modes[parseStatsOf(edited)!.mode] ?? 0) + 1;
        assertSameAsFull(edited, `${label} first version after ${i + 1} random edits`);
      }
    }
    assert.ok(large >= 10, `only ${large} corpus values files of ${2 * FIRST_PARSE_PIECE_LENGTH} characters or more`);
    assert.ok((modes.pieces ?? 0) >= 30, `pieces ${JSON.stringify(modes)}`);
  });

  it('falls back to one parse when a piece has an error, and derives the block table on the first edit', () => {
    const body = Array.from({ length: 900 }, (_, i) => `k${i}:\n  image: registry.example.com/app${i}:1.0\n  replicas: ${i}\n`).join('');
    assert.ok(body.length > 2 * FIRST_PARSE_PIECE_LENGTH);
    const broken = body.replace('  replicas: 700\n', '  replicas: [700\n');
    const doc = reparseValuesDocument(undefined, '/mem/values.yaml', broken, 1);
    assert.deepEqual(parseStatsOf(doc), { mode: 'full', reason: 'block-error' });
    assertSameAsFull(doc, 'broken first version');
    assert.ok(doc.problems.some((p) => p.kind === 'syntax'));

    const first = reparseValuesDocument(undefined, '/mem/values.yaml', body, 1);
    assert.equal(parseStatsOf(first)?.mode, 'pieces');
    const second = reparseValuesDocument(first, '/mem/values.yaml', body.replace('app450:1.0', 'app450:1.1'), 2);
    assert.deepEqual(parseStatsOf(second), { mode: 'blocks', blocks: 900, reparsedBlocks: 1, parsedPieces: 1, splitBlocks: 0 });
    assertSameAsFull(second, 'first edit after a first parse in pieces');
  });

  describe('on kube-prometheus-stack', () => {
    const kps = nodePath.join(CORPUS, 'prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml');
    const text = fs.readFileSync(kps, 'utf8');
    const first = reparseValuesDocument(undefined, kps, text, 1);

    it('parses the first version in pieces, then re-parses one block per edit', () => {
      assert.equal(parseStatsOf(first)?.mode, 'pieces');
      assertSameAsFull(first, 'kps first version');
      const at = text.indexOf('  portName: http-web');
      const next = text.slice(0, at) + '  portName: http-webx' + text.slice(at + '  portName: http-web'.length);
      const doc = reparseValuesDocument(first, kps, next, 2);
      const stats = parseStatsOf(doc)!;
      assert.equal(stats.mode, 'blocks');
      assert.equal(stats.reparsedBlocks, 1);
      // grafana (313 lines, 10 KB) is cut at its own keys: one of those pieces is parsed.
      assert.equal(stats.parsedPieces, 1);
      assert.ok(stats.splitBlocks! >= 1);
      assert.ok(stats.blocks! >= 30, `${stats.blocks} blocks`);
      assertSameAsFull(doc, 'kps edit');
    });

    it('leaves the previous version intact when an edit moves later blocks', () => {
      const before = dumpTree(first);
      const next = 'added: 1\n' + text;
      const doc = reparseValuesDocument(first, kps, next, 2);
      assertSameAsFull(doc, 'kps insert at start');
      assert.deepEqual(dumpTree(first), before);
      assert.equal(first.locate(['alertmanager', 'enabled'])!.node!.range![0], text.indexOf('true', text.indexOf('\nalertmanager:\n')));
    });

    it('stays incremental when anchors, aliases and merge keys appear, and resolves them across blocks', () => {
      const anchored = text
        .replace('\nalertmanager:\n', '\nalertmanager: &am\n')
        .replace('\nthanosRuler:\n', '\nthanosRuler:\n  <<: *am\n')
        .replace('\ncleanPrometheusOperatorObjectNames: false\n', '\ncleanPrometheusOperatorObjectNames: false\nalias: *am\nunknown: *nowhere\n');
      const withAnchor = reparseValuesDocument(first, kps, anchored, 2);
      assert.equal(parseStatsOf(withAnchor)?.mode, 'blocks');
      assertSameAsFull(withAnchor, 'anchor added');
      const viaMerge = withAnchor.locate(['thanosRuler', 'alertmanagerSpec'])!;
      assert.equal(viaMerge.viaAlias?.source, 'am');
      assert.ok(withAnchor.problems.some((p) => /Unknown alias \*nowhere/.test(p.message)));
      // An edit inside the anchored block changes what the alias in another block resolves to.
      // (the first unhealthyPodEvictionPolicy of the file is alertmanager's)
      const edited = anchored.replace('unhealthyPodEvictionPolicy: AlwaysAllow', 'unhealthyPodEvictionPolicy: AlwaysAllox');
      const afterEdit = reparseValuesDocument(withAnchor, kps, edited, 3);
      assert.equal(parseStatsOf(afterEdit)?.mode, 'blocks');
      assertSameAsFull(afterEdit, 'anchored block edited');
      const values = afterEdit.values as Record<string, Record<string, unknown>>;
      assert.deepEqual(values.alias, values.alertmanager);
      assert.ok(JSON.stringify(values.alias).includes('AlwaysAllox'));
      assert.deepEqual(values.thanosRuler.alertmanagerSpec, values.alertmanager.alertmanagerSpec);
      const removed = reparseValuesDocument(afterEdit, kps, text, 4);
      assertSameAsFull(removed, 'anchor removed');
    });

    it('keeps the block table across a transient syntax error', () => {
      const broken = text.replace('\nalertmanager:\n', '\nalertmanager: [\n');
      const error = reparseValuesDocument(first, kps, broken, 2);
      assert.equal(parseStatsOf(error)?.reason, 'block-error');
      assert.ok(error.problems.some((p) => p.kind === 'syntax'));
      assertSameAsFull(error, 'broken');
      const fixed = reparseValuesDocument(error, kps, text.replace('http-web', 'http-wey'), 3);
      assert.equal(parseStatsOf(fixed)?.mode, 'blocks');
      assert.ok(parseStatsOf(fixed)!.reparsedBlocks! <= 2, JSON.stringify(parseStatsOf(fixed)));
      assertSameAsFull(fixed, 'fixed');
    });
  });

  describe('block boundaries', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `  key${i}: value ${i}\n`).join('');
    const big = (body: string) => body + `tail:\n${filler(120)}`;

    function editEverywhere(text: string, label: string): void {
      let doc = reparseValuesDocument(undefined, '/mem/values.yaml', text, 1);
      for (let at = 0; at < text.length; at += Math.max(1, Math.floor(text.length / 60))) {
        const next = text.slice(0, at) + 'x' + text.slice(at);
        const nextDoc = reparseValuesDocument(doc, '/mem/values.yaml', next, 2);
        assertSameAsFull(nextDoc, `${label} insert at ${at}`);
        doc = reparseValuesDocument(nextDoc, '/mem/values.yaml', text, 3);
        assertSameAsFull(doc, `${label} undo at ${at}`);
      }
    }

    it('gives comments between blocks to the node the parser gives them to', () => {
      const text = big(
        '# head\n\n# about a\na:\n  b: 1 # on b\n  # indented, after b\n\n# before c\n\nc: 2\n# after c\nd:\n  - x\n\n  # in seq\n# before e\ne: |\n  text\n\n# before f\nf: [1, 2] # flow\n',
      );
      editEverywhere(text, 'comments');
    });

    it('keeps a key with an empty value together with the next block', () => {
      const text = big('first:\n  nested:\n# comment after an empty value\n\nsecond:\nthird:\n  deep:\n    deeper:\n\nfourth: 4\n');
      const doc = reparseValuesDocument(undefined, '/mem/values.yaml', text, 1);
      const next = reparseValuesDocument(doc, '/mem/values.yaml', text.replace('fourth: 4', 'fourth: 5'), 2);
      assert.equal(parseStatsOf(next)?.mode, 'blocks');
      assertSameAsFull(next, 'empty values');
      editEverywhere(text, 'empty values');
    });

    it('handles a leading ---, CRLF line breaks, duplicate keys and quoted keys', () => {
      editEverywhere(big('---\n# chart values\nimage:\n  tag: "1"\n  tag: "2"\n"quoted key": 1\nimage: again\n'), 'markers and duplicates');
      editEverywhere(big('a:\r\n  b: 1\r\n# c\r\nc: 2\r\n').replace(/\n/g, '\r\n').replace(/\r\r/g, '\r'), 'crlf');
    });

    it('cuts a long block at the keys of its nested map, with the same nodes as a full parse', function () {
      this.timeout(60_000);
      const inner = (i: number) =>
        [
          `  # about entry${i}`,
          `  entry${i}:`,
          `    image: registry.example.com/app${i}:1.${i}`,
          i % 4 === 0 ? `    args:\n      - --flag=${i}\n\n    # trailing, indented` : `    replicas: ${i}`,
          i % 5 === 0 ? `    script: |\n      echo ${i}\n\n` : i % 6 === 3 ? `    empty:` : `    port: ${8000 + i}`,
          i % 7 === 0 ? `# column-0 comment inside the block\n` : '',
        ].join('\n') + '\n';
      const body = Array.from({ length: 90 }, (_, i) => inner(i)).join('') + '  final: true\n';
      const text = `# head\nfirst: 1\n\n# the big one\nbig:   # comment on the key line\n${body}after:\n  x: 1\n${body.replace(/^  /gm, '  ')}last:\n${body}`;
      assert.ok(body.length > 8192);
      let doc = reparseValuesDocument(undefined, '/mem/values.yaml', text, 1);
      const at = text.indexOf('registry.example.com/app45:');
      const next = text.slice(0, at) + 'mirror' + text.slice(at + 'registry'.length);
      doc = reparseValuesDocument(doc, '/mem/values.yaml', next, 2);
      const stats = parseStatsOf(doc)!;
      assert.equal(stats.mode, 'blocks');
      assert.equal(stats.parsedPieces, 1, JSON.stringify(stats));
      // Blocks are cut lazily: only the edited one so far.
      assert.equal(stats.splitBlocks, 1, JSON.stringify(stats));
      assertSameAsFull(doc, 'split edit');
      // Edits everywhere, including the key lines of the split blocks and between sub-blocks.
      let current = doc;
      for (let pos = 0; pos < next.length; pos += 397) {
        const edited = next.slice(0, pos) + (pos % 2 ? 'x' : '\n') + next.slice(pos);
        const before = pos % 5 === 0 ? dumpTree(current).join('\n') : undefined;
        const d = reparseValuesDocument(current, '/mem/values.yaml', edited, 3);
        assertSameAsFull(d, `split insert at ${pos}`);
        // Moving reused sub-blocks copies their nodes: the previous version keeps its ranges.
        if (before !== undefined) assert.equal(dumpTree(current).join('\n'), before, `previous version changed by insert at ${pos}`);
        current = reparseValuesDocument(d, '/mem/values.yaml', next, 4);
        assertSameAsFull(current, `split undo at ${pos}`);
      }
    });

    it('re-parses one piece of an anchor-heavy file and resolves its merges as a full parse does', function () {
      this.timeout(60_000);
      const lines = ['# anchors and merge keys', 'defaults:'];
      for (let a = 0; a < 20; a++) lines.push(`  d${a}: &a${a}`, `    image: registry.example.com/team${a}/app`, '    pullPolicy: IfNotPresent');
      lines.push('services:');
      for (let i = 0; i < 200; i++) lines.push(`  svc${i}:`, `    <<: *a${i % 20}`, `    name: service${i}`);
      const text = lines.join('\n') + '\n';
      let doc = reparseValuesDocument(undefined, '/mem/values.yaml', text, 1);
      const edited = text.replace('name: service100', 'name: service10x');
      doc = reparseValuesDocument(doc, '/mem/values.yaml', edited, 2);
      assert.deepEqual(parseStatsOf(doc), { mode: 'blocks', blocks: 2, reparsedBlocks: 1, parsedPieces: 1, splitBlocks: 1 });
      assertSameAsFull(doc, 'merge edit');
      assert.equal(doc.locate(['services', 'svc100', 'image'])?.viaAlias?.source, 'a0');
      // Redefining an anchor in the defaults block changes what every later alias resolves to.
      // (&a5 defined twice: aliases after both take the later one; *a6 is left without anchor.)
      const redefined = edited.replace('  d6: &a6', '  d6: &a5');
      const d2 = reparseValuesDocument(doc, '/mem/values.yaml', redefined, 3);
      assert.equal(parseStatsOf(d2)?.mode, 'blocks');
      assertSameAsFull(d2, 'anchor redefined');
      assert.equal((d2.values as { services: Record<string, { image: string }> }).services.svc5.image, 'registry.example.com/team6/app');
      assert.ok(d2.problems.some((p) => /Unknown alias \*a6/.test(p.message)));
      for (let pos = 0; pos < text.length; pos += 211) {
        const next = text.slice(0, pos) + (pos % 3 ? 'q' : '\n') + text.slice(pos);
        const d = reparseValuesDocument(doc, '/mem/values.yaml', next, 4);
        assertSameAsFull(d, `insert at ${pos}`);
        doc = reparseValuesDocument(d, '/mem/values.yaml', text, 5);
        assertSameAsFull(doc, `undo at ${pos}`);
      }
    });

    it('falls back to a full parse for what blocks cannot reproduce', () => {
      const cases: Array<[string, string]> = [
        [big('a: 1\n---\nb: 2\n'), 'markers'],
        [big('%YAML 1.1\n---\na: 1\n'), 'markers'],
        [big('a: 1\n\tb: 2\n'), 'tabs-or-cr'],
        [big('a: 1\rb: 2\n'), 'tabs-or-cr'],
        ['a: 1\nb: 2\n', 'small'],
      ];
      for (const [text, reason] of cases) {
        const doc = reparseValuesDocument(parseValuesDocument('/mem/values.yaml', big('a: 0\n')), '/mem/values.yaml', text, 2);
        assert.equal(parseStatsOf(doc)?.reason, reason, JSON.stringify(text.slice(0, 30)));
        assertSameAsFull(doc, reason);
      }
    });

    it('finds top-level key lines only', () => {
      const text = 'a: 1\n  b: 2\n# c\n- d\n"e": 1\n? f\n[g]\n&h i: 1\nj:\n';
      assert.deepEqual(
        keyLineStarts(text).map((o) => text.slice(o, text.indexOf('\n', o))),
        ['a: 1', '"e": 1', 'j:'],
      );
    });

    it('compares texts by common prefix and suffix', () => {
      const a = 'x'.repeat(5000) + 'A' + 'y'.repeat(7000);
      const b = 'x'.repeat(5000) + 'BB' + 'y'.repeat(7000);
      assert.equal(commonPrefix(a, b), 5000);
      assert.equal(commonSuffix(a, b, Math.min(a.length, b.length) - 5000), 7000);
      assert.equal(commonPrefix(a, a), a.length);
      assert.equal(commonSuffix('ab', 'b', 1), 1);
    });
  });

  it('is what Engine.getDocument uses for a new version of an open file', () => {
    const body = Array.from({ length: 80 }, (_, i) => `k${i}:\n  image: registry.example.com/app${i}:1.0\n`).join('');
    const host = new MemoryHost({ '/mem/chart/values.yaml': body });
    const engine = new Engine(host);
    const v1 = engine.getDocument('/mem/chart/values.yaml')!;
    host.set('/mem/chart/values.yaml', body.replace('app40:1.0', 'app40:1.1'));
    const v2 = engine.getDocument('/mem/chart/values.yaml')!;
    assert.notEqual(v1, v2);
    assert.deepEqual(parseStatsOf(v2), { mode: 'blocks', blocks: 80, reparsedBlocks: 1, parsedPieces: 1, splitBlocks: 0 });
    assert.equal((v2.values as Record<string, { image: string }>).k40.image, 'registry.example.com/app40:1.1');
    assertSameAsFull(v2, 'engine');
  });
});
