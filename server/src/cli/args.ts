// Command-line parsing for the product.md CLI contract. Anything unexpected is a UsageError
// (exit 2) with a message that says what was wrong and how to get help.
import { ALLOWLIST_FORMATS, IMAGE_LIST_FORMATS, type AllowlistFormat, type ImageListFormat, type Severity } from '../engine';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'codeclimate'] as const;
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
  /** Text format: headlines only, no explanation under each finding. */
  quiet: boolean;
  paths: string[];
}

export interface AllowlistArgs {
  command: 'allowlist';
  config?: string;
  format: AllowlistFormat;
  features: 'enabled' | 'all';
  namespace?: string;
  podSelector?: Record<string, string>;
  name?: string;
  apiServerCIDR?: string;
  paths: string[];
}

export interface ImagesArgs {
  command: 'images';
  config?: string;
  format: ImageListFormat;
  optional: 'include' | 'exclude';
  pullSecret?: string;
  paths: string[];
}

export type ParsedArgs = CheckArgs | AllowlistArgs | ImagesArgs | { command: 'help' } | { command: 'version' };

export const USAGE = `airgap-lint: lints Helm values files for proxied, firewalled and air-gapped installs.

Usage:
  airgap-lint check     [--config FILE] [--format text|json|sarif|github|codeclimate] [--fail-on error|warning] [--fix] [--quiet] PATH...
  airgap-lint allowlist [--config FILE] [--format FORMAT] [--features enabled|all]
                        [--namespace NS] [--pod-selector KEY=VALUE[,KEY=VALUE]] [--api-server-cidr CIDR] PATH...
  airgap-lint images    [--config FILE] [--format FORMAT] [--optional include|exclude] [--pull-secret NAME] PATH...
  airgap-lint --help | --version

check options:
  PATH                a values file (linted whatever its name) or a folder, scanned recursively
                      for values files (values.yaml, values-*.yaml, values.*.yaml, *-values.yaml,
                      .yml too; "files:" in .airgap-lint.yaml changes this); node_modules and
                      hidden folders are skipped
  --config FILE       use this configuration for every file instead of the nearest .airgap-lint.yaml
  --format FORMAT     text (default), json, sarif (SARIF 2.1.0 for GitHub code scanning),
                      github (GitHub Actions annotations: ::error file=…,line=…::message lines)
                      or codeclimate (GitLab Code Quality JSON); paths in every format but
                      text are relative to the working directory
  --fail-on LEVEL     exit 1 when a finding is at or above LEVEL: error (default) or warning
  --fix               apply every safe fix in place, then report what remains
  --quiet, -q         text format: one line per finding (its headline), no explanation below

allowlist: the hosts and ports the install reaches, by feature, for the network team.
  --format FORMAT     ${ALLOWLIST_FORMATS.join(', ')} (default text)
  --features WHICH    enabled (default): features that are on; all: the others too, marked "only if …"
  --namespace NS, --pod-selector K=V,…   for the pod-scoped formats (cilium, egressfirewall, istio)
  --api-server-cidr CIDR                 the API server the egressfirewall format allows first

images: every image the install pulls, for the registry team.
  --format FORMAT     ${IMAGE_LIST_FORMATS.join(', ')} (default list);
                      overlay writes the values file that moves every image to mirror.registry
  --optional WHICH    include (default) or exclude images of components that are off
  --pull-secret NAME  the pull secret the overlay sets (default airgap-registry-credentials)

Output goes to standard output; notes (values that could not be listed) to standard error.

Exit status: check: 0 nothing at or above --fail-on; 1 findings at or above it. allowlist and
images: 0 written; 1 written, but an image could not be listed (invalid) or moved (overlay).
Always 2 for a usage error, an unreadable file or an invalid configuration.
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
  if (command === 'allowlist' || command === 'images') return parseGenerate(command, rest);
  if (command !== 'check') {
    throw new UsageError(command.startsWith('-') ? `Unknown option ${command} (expected a command first).` : `Unknown command "${command}".`);
  }

  const args: CheckArgs = { command: 'check', format: 'text', failOn: 'error', fix: false, quiet: false, paths: [] };
  for (const o of options(rest)) {
    if ('path' in o) {
      args.paths.push(o.path);
      continue;
    }
    switch (o.name) {
      case '--help':
      case '-h':
        return { command: 'help' };
      case '--version':
        return { command: 'version' };
      case '--config':
      case '-c':
        args.config = o.take();
        break;
      case '--format':
      case '-f': {
        const v = o.take();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`Unknown format "${v}": expected ${FORMATS.join(', ')}.`);
        args.format = v as Format;
        break;
      }
      case '--fail-on': {
        const v = o.take();
        if (!(FAIL_ON as readonly string[]).includes(v)) throw new UsageError(`Invalid --fail-on "${v}": expected ${FAIL_ON.join(' or ')}.`);
        args.failOn = v as Severity;
        break;
      }
      case '--fix':
        o.flag();
        args.fix = true;
        break;
      case '--quiet':
      case '-q':
        o.flag();
        args.quiet = true;
        break;
      default:
        throw new UsageError(`Unknown option ${o.name}.`);
    }
  }
  if (!args.paths.length) throw new UsageError('Missing PATH: give at least one values file or folder to check.');
  return args;
}

/** Splits `--name=value` / `--name value` options from paths; `--` ends the options. */
function* options(rest: string[]): Generator<{ name: string; take: () => string; flag: () => void } | { path: string }> {
  let done = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (done || !arg.startsWith('-') || arg === '-') {
      yield { path: arg };
      continue;
    }
    if (arg === '--') {
      done = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    yield {
      name,
      take: () => {
        if (inline !== undefined) {
          if (inline === '') throw new UsageError(`Option ${name} needs a value.`);
          return inline;
        }
        const v = valueOf(rest, i, name);
        i++;
        return v;
      },
      flag: () => {
        if (inline !== undefined) throw new UsageError(`Option ${name} takes no value.`);
      },
    };
  }
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`Invalid ${name} "${value}": expected ${allowed.join(', ')}.`);
  return value as T;
}

function parseSelector(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`Invalid --pod-selector "${part}": expected KEY=VALUE.`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function parseGenerate(command: 'allowlist' | 'images', rest: string[]): AllowlistArgs | ImagesArgs | { command: 'help' } {
  const a: AllowlistArgs = { command: 'allowlist', format: 'text', features: 'enabled', paths: [] };
  const im: ImagesArgs = { command: 'images', format: 'list', optional: 'include', paths: [] };
  const paths: string[] = [];
  let config: string | undefined;
  for (const o of options(rest)) {
    if ('path' in o) {
      paths.push(o.path);
      continue;
    }
    switch (o.name) {
      case '--help':
      case '-h':
        return { command: 'help' };
      case '--config':
      case '-c':
        config = o.take();
        break;
      case '--format':
      case '-f':
        if (command === 'allowlist') a.format = oneOf('--format', o.take(), ALLOWLIST_FORMATS);
        else im.format = oneOf('--format', o.take(), IMAGE_LIST_FORMATS);
        break;
      case '--features':
        if (command !== 'allowlist') throw new UsageError(`Option ${o.name} belongs to "airgap-lint allowlist".`);
        a.features = oneOf('--features', o.take(), ['enabled', 'all'] as const);
        break;
      case '--namespace':
      case '-n':
        if (command !== 'allowlist') throw new UsageError(`Option ${o.name} belongs to "airgap-lint allowlist".`);
        a.namespace = o.take();
        break;
      case '--pod-selector':
        if (command !== 'allowlist') throw new UsageError(`Option ${o.name} belongs to "airgap-lint allowlist".`);
        a.podSelector = { ...a.podSelector, ...parseSelector(o.take()) };
        break;
      case '--api-server-cidr':
        if (command !== 'allowlist') throw new UsageError(`Option ${o.name} belongs to "airgap-lint allowlist".`);
        a.apiServerCIDR = o.take();
        break;
      case '--optional':
        if (command !== 'images') throw new UsageError(`Option ${o.name} belongs to "airgap-lint images".`);
        im.optional = oneOf('--optional', o.take(), ['include', 'exclude'] as const);
        break;
      case '--pull-secret':
        if (command !== 'images') throw new UsageError(`Option ${o.name} belongs to "airgap-lint images".`);
        im.pullSecret = o.take();
        break;
      default:
        throw new UsageError(`Unknown option ${o.name}.`);
    }
  }
  if (!paths.length) throw new UsageError(`Missing PATH: give at least one values file or folder for "airgap-lint ${command}".`);
  const out = command === 'allowlist' ? a : im;
  out.paths = paths;
  if (config !== undefined) out.config = config;
  return out;
}
