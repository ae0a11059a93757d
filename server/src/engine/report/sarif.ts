// `--format sarif`: SARIF 2.1.0 as GitHub code scanning (`upload-sarif`) accepts it.
// What GitHub requires and why each field is here:
// - one run with `tool.driver.name`, `rules` (id, shortDescription, fullDescription, help,
//   helpUri, defaultConfiguration.level) so alerts show a title and a link to the README;
// - results with `ruleId` + `ruleIndex`, `level`, `message.text` and at least one location
//   whose `artifactLocation.uri` is relative to the repository root (`uriBaseId: %SRCROOT%`):
//   GitHub rejects absolute `file:` URIs it cannot map to the checkout;
// - 1-based regions; columns count UTF-16 code units, declared by `columnKind` on the run
//   (the engine's LSP ranges already count them);
// - `partialFingerprints`, so an alert survives lines moving above it (without them the API
//   upload creates duplicates).
import { createHash } from 'node:crypto';
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log as SarifLog } from 'sarif';
import { allRules, ruleDocsUrl, ruleInfo } from '../rules/catalog';
import type { FileResult, Finding, Range, Severity } from '../types';
import { displayPath, fingerprintBasis, groupByFile, redactSecrets, type ReportOptions } from './common';
import { redactCredentials } from '../proxy/proxy-url';
import { reportableFix } from '../fixes';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/airgap-lint/airgap-lint';
/** The key of our fingerprint in `partialFingerprints`; bump the suffix if the recipe changes. */
export const FINGERPRINT_KEY = 'airgapLint/v1';

export interface SarifOptions extends ReportOptions {
  /** The tool's version (package.json). */
  toolVersion: string;
  /** Text of a file, for fingerprints that survive edits elsewhere in the file. */
  sourceText?: (absPath: string) => string | undefined;
}

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** LSP range (0-based, end exclusive) → SARIF region (1-based, endColumn exclusive too). */
export function sarifRegion(r: Range): SarifRegion {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifLocation {
  id?: number;
  physicalLocation: { artifactLocation: ArtifactLocation; region: SarifRegion };
  message?: { text: string };
}

export interface SarifFix {
  description: { text: string };
  artifactChanges: Array<{
    artifactLocation: ArtifactLocation;
    replacements: Array<{ deletedRegion: SarifRegion; insertedContent: { text: string } }>;
  }>;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  relatedLocations?: SarifLocation[];
  fixes?: SarifFix[];
  /** The finding's explanation beside its headline (`message.text`). */
  properties?: { detail: string };
}

function artifactLocation(absPath: string, cwd: string): ArtifactLocation {
  const rel = displayPath(absPath, cwd);
  // Outside the working directory there is no relative form GitHub could map; say where it is.
  if (rel.startsWith('../') || nodePath.isAbsolute(rel)) return { uri: pathToFileURL(absPath).href };
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function ruleDescriptor(id: string, fallback: Severity) {
  const info = ruleInfo(id);
  const summary = info?.summary ?? id;
  const keyword = id.startsWith('schema/') && info?.id === 'schema/*' ? ` (keyword \`${id.slice('schema/'.length)}\`)` : '';
  const helpUri = ruleDocsUrl(id);
  const description = summary.charAt(0).toUpperCase() + summary.slice(1) + keyword;
  return {
    id,
    shortDescription: { text: description },
    fullDescription: { text: `${description}.` },
    help: { text: `${description}. See ${helpUri}`, markdown: `${description}. [Documentation](${helpUri})` },
    helpUri,
    defaultConfiguration: { level: sarifLevel(info?.severity ?? fallback) },
  };
}

export function formatSarif(results: FileResult[], options: SarifOptions): string {
  return JSON.stringify(toSarif(results, options), null, 2) + '\n';
}

export function toSarif(results: FileResult[], options: SarifOptions) {
  const grouped = groupByFile(results);
  // Every known rule, then any other ID the results use (`schema/type` …), in a stable order.
  const ruleIds: string[] = allRules().filter((r) => !r.id.includes('*')).map((r) => r.id);
  const fallbackSeverity = new Map<string, Severity>();
  for (const r of grouped) {
    for (const f of r.findings) {
      if (!ruleIds.includes(f.code)) ruleIds.push(f.code);
      if (!fallbackSeverity.has(f.code)) fallbackSeverity.set(f.code, f.severity);
    }
  }
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => ruleDescriptor(id, fallbackSeverity.get(id) ?? 'warning'));

  const basisOf = fingerprintBasis(options.sourceText);
  const fingerprint = (f: Finding, uri: string): string => {
    const { basis, repeat } = basisOf(f, uri);
    return `${createHash('sha256').update(basis).digest('hex').slice(0, 32)}:${repeat}`;
  };

  const sarifResults: SarifResult[] = [];
  for (const r of grouped) {
    for (const f of r.findings) {
      const location = artifactLocation(f.path, options.cwd);
      const result: SarifResult = {
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code)!,
        level: sarifLevel(f.severity),
        message: { text: redactCredentials(redactSecrets(f.message)) },
        locations: [{ physicalLocation: { artifactLocation: location, region: sarifRegion(f.range) } }],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f, location.uri) },
      };
      if (f.detail) result.properties = { detail: redactCredentials(redactSecrets(f.detail)) };
      if (f.related?.length) {
        result.relatedLocations = f.related.slice(0, 100).map((rel, id) => ({
          id,
          physicalLocation: { artifactLocation: artifactLocation(rel.path, options.cwd), region: sarifRegion(rel.range) },
          message: { text: redactCredentials(redactSecrets(rel.message)) },
        }));
      }
      const fixes = f.fixes.filter((fix) => fix.edits.length > 0);
      if (fixes.length) {
        result.fixes = fixes.map((fix) => {
          // A code scanning upload is published: a credential in a fix is redacted, with a note.
          const shown = reportableFix(fix);
          return {
            description: { text: shown.note ? `${shown.title} (${shown.note})` : shown.title },
            artifactChanges: [
              {
                artifactLocation: artifactLocation(fix.path ?? f.path, options.cwd),
                replacements: shown.edits.map((e) => ({ deletedRegion: sarifRegion(e.range), insertedContent: { text: e.newText } })),
              },
            ],
          };
        });
      }
      sarifResults.push(result);
    }
  }

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'airgap-lint',
            informationUri: INFORMATION_URI,
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true }],
        columnKind: 'utf16CodeUnits' as const,
        results: sarifResults,
      },
    ],
  };
  // Checked at compile time against the SARIF 2.1.0 type definitions (@types/sarif, generated
  // from the OASIS schema): a property of the wrong type or value fails `npm run typecheck`.
  const conforms: SarifLog = log;
  void conforms;
  return log;
}
