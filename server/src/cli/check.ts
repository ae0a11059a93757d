// `airgap-lint check`: collect files, refuse a broken configuration, lint (fixing first with
// --fix), print in the chosen format, and return the exit status.
import * as fs from 'node:fs';
import { DiskHost, Engine, LanguageService, displayPath, fixAll, formatCodeClimate, formatGithub, formatJson, formatSarif, formatText, hasFindingsAtOrAbove, type FileResult, type Finding, type RuleModule } from '../engine';
import { CliError, type CheckArgs } from './args';
import { collectFiles, configOption, readFileOrFail } from './walk';

export interface CheckIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colours in text output (a TTY, NO_COLOR unset). */
  color: boolean;
  /** Terminal width for the text format's explanations (a TTY's columns). */
  columns?: number;
  toolVersion: string;
  /** Rule families to run instead of the built-in ones (tests). */
  rules?: RuleModule[];
}

/** Exit status of `check`: 0 clean, 1 findings at or above --fail-on. Errors throw CliError (2). */
export function runCheck(args: CheckArgs, io: CheckIO): number {
  const cwd = io.cwd;
  const configPath = configOption(args.config, cwd);

  const host = new DiskHost();
  const engine = new LanguageService(host, { configPath, rules: io.rules });
  const { files, emptyFolders } = collectFiles(args.paths, cwd, (f) => engine.configFor(f));
  for (const folder of emptyFolders) io.stderr(`airgap-lint: no values files found in ${folder}.\n`);

  // An explicit --config is checked even when no file was found to lint.
  refuseInvalidConfigs(configPath ? [configPath, ...files] : files, engine, cwd);

  const results: FileResult[] = [];
  const fixedFiles: string[] = [];
  // Texts of files with findings, for SARIF and Code Quality fingerprints; read once, after any fix.
  const texts = new Map<string, string>();
  for (const file of files) {
    const shown = displayPath(file, cwd);
    let text = readFileOrFail(file, shown);
    host.open(file, text, 0);
    if (args.fix) {
      const fixed = fixFile(engine, host, file, text);
      if (fixed !== text) {
        try {
          fs.writeFileSync(file, fixed, 'utf8');
        } catch (err) {
          throw new CliError(`Cannot write the fixed ${shown}: ${(err as Error).message}.`);
        }
        fixedFiles.push(file);
        text = fixed;
        host.open(file, text, 0);
      }
    }
    const result = lintSafely(engine, file);
    if (result.findings.length) texts.set(file, text);
    results.push(result);
    host.close(file);
    // Keep memory flat over a large tree: a layer base that another file needs is re-read.
    engine.forget(file);
  }

  let output: string;
  switch (args.format) {
    case 'json':
      output = formatJson(results, { cwd });
      break;
    case 'sarif':
      output = formatSarif(results, {
        cwd,
        toolVersion: io.toolVersion,
        sourceText: (p) => texts.get(p) ?? host.readFile(p),
      });
      break;
    case 'github':
      output = formatGithub(results, { cwd });
      break;
    case 'codeclimate':
      output = formatCodeClimate(results, { cwd, sourceText: (p) => texts.get(p) ?? host.readFile(p) });
      break;
    default:
      output = formatText(results, { cwd, color: io.color, fixedFiles, quiet: args.quiet, width: io.columns ? Math.min(io.columns, 120) : undefined });
  }
  io.stdout(output);
  if (args.format !== 'text' && fixedFiles.length) {
    io.stderr(`airgap-lint: safe fixes applied to ${fixedFiles.map((f) => displayPath(f, cwd)).join(', ')}.\n`);
  }
  return hasFindingsAtOrAbove(results, args.failOn) ? 1 : 0;
}

/**
 * Applies every safe fix to one file's text and returns the new text (the same text when
 * nothing applies). Candidate texts are linted in memory through the host's overlay; fixAll
 * refuses a round whose result no longer parses.
 */
export function fixFile(engine: Engine, host: DiskHost, file: string, text: string): string {
  let version = 0;
  const lintText = (candidate: string): Finding[] => {
    host.open(file, candidate, ++version);
    return lintSafely(engine, file).findings;
  };
  try {
    return fixAll(file, text, lintText).text;
  } finally {
    host.open(file, text, 0);
  }
}

/**
 * Lints one file; an exception (a parser stack overflow on absurd nesting, a bug) becomes
 * a finding on that file instead of a stack trace, so the rest of the run still reports.
 */
export function lintSafely(engine: Engine, file: string): FileResult {
  try {
    return engine.lint(file);
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    // RangeError: "Maximum call stack size exceeded" (absurd nesting) or "Invalid string length".
    const reason = err instanceof RangeError ? `the file is too deeply nested or too large to parse (${message})` : message;
    return {
      path: file,
      findings: [
        {
          code: 'internal/error',
          severity: 'error',
          message: `airgap-lint could not lint this file: ${reason}.`,
          path: file,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          fixes: [],
        },
      ],
    };
  }
}

/** A configuration with errors would silently change what is checked: in CI that is exit 2. */
export function refuseInvalidConfigs(files: string[], engine: Engine, cwd: string): void {
  const reported = new Set<string>();
  const messages: string[] = [];
  for (const file of files) {
    const config = engine.configFor(file);
    if (!config.problems.length || !config.configPath || reported.has(config.configPath)) continue;
    reported.add(config.configPath);
    messages.push(`Invalid configuration ${displayPath(config.configPath, cwd)}:`);
    for (const p of config.problems) {
      messages.push(`  ${displayPath(p.path, cwd)}:${p.range.start.line + 1}:${p.range.start.character + 1}  ${p.message}`);
    }
  }
  if (messages.length) throw new CliError(messages.join('\n'));
}
