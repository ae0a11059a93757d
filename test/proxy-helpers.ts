// Helpers for the proxy tests: lint a text in memory with a cluster profile, pick findings,
// apply a fix and lint again.
import * as assert from 'node:assert/strict';
import type { ConfigInput } from '../server/src/engine/config';
import { applyEdits } from '../server/src/engine/fixes';
import { Engine } from '../server/src/engine/lint';
import type { Finding, Range } from '../server/src/engine/types';
import { MemoryHost } from './helpers';

export const VALUES = '/w/values.yaml';

export interface LintOptions {
  settings?: ConfigInput;
  /** More files (config, chart, layers), absolute paths. */
  files?: Record<string, string>;
  path?: string;
}

export function lintProxy(text: string, options: LintOptions = {}): Finding[] {
  const path = options.path ?? VALUES;
  const host = new MemoryHost({ ...(options.files ?? {}), [path]: text });
  const engine = new Engine(host, { settings: options.settings ?? {} });
  return engine.lint(path).findings.filter((f) => f.code.startsWith('proxy/') || f.code.startsWith('internal/'));
}

export function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

export function one(findings: Finding[], code: string): Finding {
  const list = only(findings, code);
  assert.equal(list.length, 1, `exactly one ${code}, got ${list.length}: ${findings.map((f) => f.code + ' ' + f.message).join('\n')}`);
  return list[0];
}

/** `line:char-line:char` (0-based) for compact range assertions. */
export function at(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** The text after applying one fix of a finding. */
export function applyFix(text: string, finding: Finding, index = 0): string {
  const fix = finding.fixes[index];
  assert.ok(fix, `fix ${index} of ${finding.code}`);
  assert.ok(fix.edits.length > 0, `fix "${fix.title}" has edits`);
  return applyEdits(text, fix.edits).text;
}

/** Codes and ranges of findings, sorted, for whole-file expectations. */
export function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${at(f.range)} ${f.severity} ${f.code}`);
}

export const K3S: ConfigInput = { cluster: { distribution: 'k3s' } };
