// Command-line parsing for the product.md CLI contract. Anything unexpected is a UsageError
// (exit 2) with a message that says what was wrong and how to get help.
import type { Severity } from '../engine';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning'] as const;

/** A problem the user can fix on the command line, the file system or the config: exit 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(`${message}\nRun "airgap-lint --help" for usage.`);
    this.name = 'UsageError';
  }
}

export interface CheckArgs {
  command: 'check';
  config?: string;
  format: Format;
  failOn: Severity;
  fix: boolean;
  paths: string[];
}

export type ParsedArgs =
  | CheckArgs
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'allowlist' | 'images' };

export const USAGE = `airgap-lint: lints Helm values files for proxied, firewalled and air-gapped installs.

Usage:
  airgap-lint check [--config FILE] [--format text|json|sarif] [--fail-on error|warning] [--fix] PATH...
  airgap-lint --help | --version

check options:
  PATH                a values file (linted whatever its name) or a folder, scanned recursively
                      for values files (values.yaml, values-*.yaml, values.*.yaml, *-values.yaml,
                      .yml too; "files:" in .airgap-lint.yaml changes this); node_modules and
                      hidden folders are skipped
  --config FILE       use this configuration for every file instead of the nearest .airgap-lint.yaml
  --format FORMAT     text (default), json, or sarif (SARIF 2.1.0 for GitHub code scanning);
                      paths in json and sarif output are relative to the working directory
  --fail-on LEVEL     exit 1 when a finding is at or above LEVEL: error (default) or warning
  --fix               apply every safe fix in place, then report what remains

Exit status: 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage error, unreadable file or invalid configuration.

Planned, not implemented yet: airgap-lint allowlist, airgap-lint images.
`;

function valueOf(argv: string[], i: number, name: string): string {
  const v = argv[i + 1];
  if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`Option ${name} needs a value.`);
  return v;
}

export function parseArgs(argv: string[]): ParsedArgs {
  if (argv.length === 0) throw new UsageError('Missing command: airgap-lint check PATH...');
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return { command: 'help' };
  if (command === '--version' || command === '-v' || command === 'version') return { command: 'version' };
  if (command === 'allowlist' || command === 'images') return { command };
  if (command !== 'check') {
    throw new UsageError(command.startsWith('-') ? `Unknown option ${command} (expected a command first).` : `Unknown command "${command}".`);
  }

  const args: CheckArgs = { command: 'check', format: 'text', failOn: 'error', fix: false, paths: [] };
  let optionsDone = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (optionsDone || !arg.startsWith('-') || arg === '-') {
      args.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsDone = true;
      continue;
    }
    // --name=value is the same as --name value.
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const take = (): string => {
      if (inline !== undefined) {
        if (inline === '') throw new UsageError(`Option ${name} needs a value.`);
        return inline;
      }
      const v = valueOf(rest, i, name);
      i++;
      return v;
    };
    switch (name) {
      case '--help':
      case '-h':
        return { command: 'help' };
      case '--version':
        return { command: 'version' };
      case '--config':
      case '-c':
        args.config = take();
        break;
      case '--format':
      case '-f': {
        const v = take();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`Unknown format "${v}": expected ${FORMATS.join(', ')}.`);
        args.format = v as Format;
        break;
      }
      case '--fail-on': {
        const v = take();
        if (!(FAIL_ON as readonly string[]).includes(v)) throw new UsageError(`Invalid --fail-on "${v}": expected ${FAIL_ON.join(' or ')}.`);
        args.failOn = v as Severity;
        break;
      }
      case '--fix':
        if (inline !== undefined) throw new UsageError('Option --fix takes no value.');
        args.fix = true;
        break;
      default:
        throw new UsageError(`Unknown option ${name}.`);
    }
  }
  if (!args.paths.length) throw new UsageError('Missing PATH: give at least one values file or folder to check.');
  return args;
}
