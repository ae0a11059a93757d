// `--format codeclimate`: the GitLab Code Quality report (`artifacts:reports:codequality`),
// "a subset of the Code Climate spec" (https://docs.gitlab.com/ci/testing/code_quality/,
// "Code Quality report format"; https://github.com/codeclimate/platform/blob/master/spec/analyzers/SPEC.md).
// A JSON array of issues, each with the fields GitLab documents:
//   description  the headline (secrets redacted, as in every format); the detail, when the
//                finding has one, goes to the Code Climate spec's `content.body`
//   check_name   the rule id
//   fingerprint  unique per issue, stable across runs (GitLab's example is an MD5 hex; any
//                hex digest works: we use SHA-256)
//   severity     one of info, minor, major, critical, blocker: error → major,
//                warning → minor, info and hint → info
//   location     {path (relative to the working directory), lines: {begin (1-based)}}
// plus `type: "issue"` and `categories`, which the Code Climate spec requires and GitLab
// ignores, so the file is a valid Code Climate report too.
import { createHash } from 'node:crypto';
import type { FileResult, Finding, Severity } from '../types';
import { redactCredentials } from '../proxy/proxy-url';
import { displayPath, fingerprintBasis, groupByFile, redactSecrets, type ReportOptions } from './common';

export type CodeClimateSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface CodeClimateIssue {
  type: 'issue';
  check_name: string;
  description: string;
  categories: string[];
  fingerprint: string;
  severity: CodeClimateSeverity;
  location: { path: string; lines: { begin: number } };
  /** The Code Climate spec's explanation (Markdown): the finding's detail. */
  content?: { body: string };
}

export interface CodeClimateOptions extends ReportOptions {
  /** Text of a file, for fingerprints that survive edits elsewhere in the file. */
  sourceText?: (absPath: string) => string | undefined;
}

export function codeClimateSeverity(severity: Severity): CodeClimateSeverity {
  return severity === 'error' ? 'major' : severity === 'warning' ? 'minor' : 'info';
}

export function toCodeClimate(results: FileResult[], options: CodeClimateOptions): CodeClimateIssue[] {
  // The basis of the SARIF `partialFingerprints` (common.ts); each repeat hashes apart, since
  // GitLab shows one issue per fingerprint.
  const basisOf = fingerprintBasis(options.sourceText);
  const fingerprint = (f: Finding, path: string): string => {
    const { basis, repeat } = basisOf(f, path);
    return createHash('sha256').update(`${basis}\0${repeat}`).digest('hex');
  };

  const issues: CodeClimateIssue[] = [];
  for (const r of groupByFile(results)) {
    for (const f of r.findings) {
      const path = displayPath(f.path, options.cwd);
      issues.push({
        type: 'issue',
        check_name: f.code,
        description: redactCredentials(redactSecrets(f.message)),
        categories: ['Bug Risk'],
        fingerprint: fingerprint(f, path),
        severity: codeClimateSeverity(f.severity),
        location: { path, lines: { begin: f.range.start.line + 1 } },
        ...(f.detail ? { content: { body: redactCredentials(redactSecrets(f.detail)) } } : {}),
      });
    }
  }
  return issues;
}

export function formatCodeClimate(results: FileResult[], options: CodeClimateOptions): string {
  return JSON.stringify(toCodeClimate(results, options), null, 2) + '\n';
}
