// The fuzz properties over the engine, as fast-check properties that the fixed-seed test and
// `npm run fuzz` both run: mutated corpus files never make the engine throw or take more than
// a second, every range it reports lies in the document, every fix gives YAML that parses,
// keeps every comment and is idempotent, and the incremental parse equals a full parse.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { ConfigInput } from '../../server/src/engine/config';
import { createTextBase, parseValuesDocument } from '../../server/src/engine/document';
import { reparseValuesDocument } from '../../server/src/engine/document/incremental';
import { applyEdits, fixAll } from '../../server/src/engine/fixes';
import { LanguageService } from '../../server/src/engine/service';
import type { Finding } from '../../server/src/engine/types';
import { assertSameAsFull } from '../document-compare';
import {
  applyFix,
  assertCommentsKept,
  assertFindingsInside,
  assertNoInternalError,
  assertRangeInside,
  changedSpan,
  fixesOn,
  lineLengths,
  yamlProblems,
} from './checks';
import { applyMutation, applyMutations, mutationsArb, type Mutation } from './mutations';
import { hostFor, loadSeeds, memPathOf, seedByLabel, type Seed } from './seeds';

/** The per-document budget of the issue: one lint of one document. */
export const LINT_BUDGET_MS = 1000;

/** Settings that switch on the mirror, cluster and runtime checks (and so most fixes). */
export const SETTINGS: ConfigInput[] = [
  {},
  { mirror: { registry: 'harbor.corp:5000' }, cluster: { distribution: 'k3s' } },
  { mirror: { registry: 'quay.io/myorg', layout: 'flat', digestsOnly: true }, cluster: { distribution: 'eks', extraNoProxy: ['.corp.example.com'] }, runtimes: ['go', 'curl', 'python', 'node', 'java'] },
  { cluster: { podCIDR: ['10.42.0.0/16'], serviceCIDR: ['10.43.0.0/16', 'fd00:10:96::/112'], clusterDomain: 'corp.internal', cloud: 'aws' }, mirror: { registry: 'registry.local' } },
];

/** What the runs measured, for the report. */
export const stats = {
  documents: 0,
  slowest: { ms: 0, label: '' },
  fixesChecked: 0,
  incrementalEdits: 0,
};

export function resetStats(): void {
  Object.assign(stats, { documents: 0, slowest: { ms: 0, label: '' }, fixesChecked: 0, incrementalEdits: 0 });
}

/** A seed by its label (what a counterexample prints), not by its text. */
const seedArb = () => fc.nat({ max: loadSeeds().length - 1 }).map((i) => loadSeeds()[i].label);
const settingsArb = fc.nat({ max: SETTINGS.length - 1 });
const positionArb = fc.record({ line: fc.nat({ max: 5000 }), character: fc.nat({ max: 200 }) });

/** Seeds linted once per settings: schema compilation and chart knowledge are per chart, not per document. */
const warmed = new Set<string>();
function warmUp(seed: Seed, settings: number): void {
  const key = `${seed.dir}\0${settings}`;
  if (warmed.has(key)) return;
  warmed.add(key);
  new LanguageService(hostFor(seed, seed.text), { settings: SETTINGS[settings] }).lint(memPathOf(seed));
}

/**
 * Time of `fn`: the smaller of wall-clock and CPU time, so that neither other processes on a
 * busy machine (wall) nor parallel GC threads (CPU) make a fast lint look slow.
 */
function timed<T>(fn: () => T): { value: T; ms: number } {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  const wallMs = Number(process.hrtime.bigint() - wall) / 1e6;
  return { value, ms: Math.min(wallMs, (used.user + used.system) / 1000) };
}

/**
 * Lints a text in its seed's context with a fresh engine (what a reproduction needs: no state
 * from earlier runs). With `editedFrom`, that text is linted first, untimed, and `text` is
 * timed as an edit of it: what the server does while a user types (the chart's other files
 * already read, the document re-parsed from its previous version).
 */
function lintFresh(seed: Seed, text: string, settings: number, editedFrom?: string): { service: LanguageService; findings: Finding[]; ms: number; path: string } {
  const path = memPathOf(seed);
  const host = hostFor(seed, editedFrom ?? text);
  const service = new LanguageService(host, { settings: SETTINGS[settings] });
  if (editedFrom !== undefined) {
    service.lint(path);
    host.set(path, text);
  }
  const { value, ms } = timed(() => service.lint(path));
  stats.documents++;
  if (ms > stats.slowest.ms) stats.slowest = { ms, label: seed.label };
  return { service, findings: value.findings, ms, path };
}

/** Any mutated document (as an edit of its seed): no throw, within budget, every range inside, hover and completion and generators safe. */
export function lintProperty() {
  return fc.property(seedArb(), mutationsArb(), settingsArb, fc.array(positionArb, { maxLength: 4 }), (label, mutations, settings, positions) => {
    const seed = seedByLabel(label);
    warmUp(seed, settings);
    const text = applyMutations(seed.text, mutations);
    const { service, findings, ms, path } = lintFresh(seed, text, settings, seed.text);
    assert.ok(ms <= LINT_BUDGET_MS, `lint took ${ms.toFixed(0)} ms (budget ${LINT_BUDGET_MS} ms)`);
    assertNoInternalError(findings);
    assertFindingsInside(findings, path, text);
    const lengths = lineLengths(text);
    for (const p of positions) {
      const position = { line: p.line % lengths.length, character: p.character % (lengths[p.line % lengths.length] + 1) };
      const hover = service.hover(path, position);
      if (hover) assertRangeInside(hover.range, lengths, `hover at ${JSON.stringify(position)}`);
      service.completion(path, position);
    }
    // The generators read the same broken document: they must answer, not throw.
    service.effectiveValues(path);
    service.allowlist([path], { format: 'text' });
    service.imageList([path], { format: 'list' });
  });
}

/**
 * Applies the mutations that keep the text free of syntax errors and skips the others: fixes
 * are only promised on YAML that parses, and most raw mutations break it.
 */
export function cleanMutations(seed: Seed, mutations: Mutation[]): string | undefined {
  const path = memPathOf(seed);
  if (yamlProblems(path, seed.text).syntax) return undefined;
  let text = seed.text;
  for (const m of mutations) {
    const next = applyMutation(text, m);
    if (!yamlProblems(path, next).syntax) text = next;
  }
  return text;
}

/** At most this many fixes are applied per document: each one costs a re-lint. */
const FIXES_PER_DOCUMENT = 8;

/** Every fix offered on a (parseable) mutated document: parses, keeps comments, is idempotent; fix-all converges. */
export function fixProperty() {
  return fc.property(seedArb(), mutationsArb(4), fc.integer({ min: 1, max: SETTINGS.length - 1 }), (label, mutations, settings) => {
    const seed = seedByLabel(label);
    const text = cleanMutations(seed, mutations);
    if (text === undefined) return;
    warmUp(seed, settings);
    const { service, findings, path } = lintFresh(seed, text, settings);
    const before = yamlProblems(path, text);
    const host = service.host as ReturnType<typeof hostFor>;
    const lintText = (t: string) => {
      host.set(path, t);
      return service.lint(path).findings;
    };
    let checked = 0;
    for (const finding of findings) {
      if (finding.path !== path) continue;
      for (const fix of fixesOn(finding, path)) {
        if (!fix.edits.length || checked >= FIXES_PER_DOCUMENT) continue;
        checked++;
        stats.fixesChecked++;
        const what = `fix "${fix.title}" of ${finding.code} at ${JSON.stringify(finding.range)}`;
        const once = applyFix(text, fix);
        const after = yamlProblems(path, once);
        assert.equal(after.syntax, 0, `${what}: the fixed YAML does not parse:\n${parseValuesDocument(path, once).problems.map((p) => p.message).join('\n')}`);
        assert.ok(after.duplicates <= before.duplicates, `${what}: adds a duplicate key`);
        // A fix that deletes an entry takes the comments inside it along (deleteEntryEdit says so):
        // only the comments that survive its deletions must survive the whole fix.
        const deletions = fix.edits.filter((e) => e.newText === '');
        assertCommentsKept(deletions.length ? applyEdits(text, deletions).text : text, once, what);
        // Applied twice: the same fix, offered again where the first one changed the text, changes nothing.
        // Applied twice: the same fix, offered again where the first one changed the text, changes
        // nothing. Not with duplicate keys: fixing the winning copy rightly exposes the other one.
        if (before.duplicates) {
          host.set(path, text);
          continue;
        }
        const changed = changedSpan(text, once);
        const onceBase = createTextBase(path, once);
        const startPos = onceBase.positionAt(changed.start);
        const endPos = onceBase.positionAt(changed.end);
        for (const again of lintText(once)) {
          if (again.code !== finding.code || again.path !== path) continue;
          for (const fix2 of fixesOn(again, path)) {
            if (fix2.title !== fix.title) continue;
            const touches = fix2.edits.some((e) => !isBefore(e.range.end, startPos) && !isBefore(endPos, e.range.start));
            if (touches) assert.equal(applyFix(once, fix2), once, `${what}: applied a second time it changes the text again`);
          }
        }
        host.set(path, text);
      }
    }
    // Fix-all (what --fix does): applying it to its own result changes nothing.
    const first = fixAll(path, text, lintText);
    const second = fixAll(path, first.text, lintText);
    if (first.rounds < 5) assert.equal(second.changed, false, `fix-all is not idempotent: a second run changes\n${JSON.stringify(changedSpan(first.text, second.text))}`);
  });
}

function isBefore(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Random edit sequences: each re-parse from the previous version equals a full parse of the same text. */
export function incrementalProperty() {
  return fc.property(seedArb(), fc.array(fc.tuple(mutationsArb(2), fc.boolean()), { minLength: 1, maxLength: 6 }), (label, steps) => {
    const seed = seedByLabel(label);
    const path = memPathOf(seed);
    let text = seed.text;
    let doc = reparseValuesDocument(undefined, path, text, 1);
    assertSameAsFull(doc, `${seed.label} first version`);
    steps.forEach(([mutations, undo], i) => {
      const next = applyMutations(text, mutations);
      const nextDoc = reparseValuesDocument(doc, path, next, i + 2);
      stats.incrementalEdits++;
      assertSameAsFull(nextDoc, `${seed.label} edit ${i + 1}`);
      if (undo) {
        // The way back (an undo in the editor) must be right too.
        doc = reparseValuesDocument(nextDoc, path, text, i + 2);
        assertSameAsFull(doc, `${seed.label} undo ${i + 1}`);
      } else {
        text = next;
        doc = nextDoc;
      }
    });
  });
}
