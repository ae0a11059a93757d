// `.airgap-lint.yaml` + editor settings → one resolved configuration per folder.
// The file wins over settings; a distribution preset fills in what neither sets.
import * as nodePath from 'node:path';
import { minimatch } from 'minimatch';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import configSchema from '../../../../schemas/airgap-lint.schema.json';
import { MAX_LAYERS_PER_STACK, checkConfigValues } from './checks';
import { parseMirrorRegistry, type MirrorRegistry } from '../images/mirror';
import { parseValuesDocument, type ValuesDocument } from '../document';
import { presetFor, type Cloud, type Distribution } from './presets';
import { builtInValidator } from '../schema/compile';
import { rangeForSchemaError } from '../schema/ranges';
import type { FileHost, Finding, JsonValue, SeveritySetting } from '../types';

export const CONFIG_FILE_NAMES = ['.airgap-lint.yaml', '.airgap-lint.yml'];

export const DEFAULT_FILE_PATTERNS = [
  'values.yaml',
  'values.yml',
  'values-*.yaml',
  'values-*.yml',
  'values.*.yaml',
  'values.*.yml',
  '*-values.yaml',
  '*-values.yml',
];

export const DEFAULT_RUNTIMES = ['go', 'python', 'curl'] as const;
export type Runtime = 'go' | 'curl' | 'python' | 'node' | 'java';

/** The configuration as written (file or settings): every key optional. */
export interface ConfigInput {
  cluster?: {
    distribution?: Distribution;
    podCIDR?: string | string[];
    serviceCIDR?: string | string[];
    apiServerIP?: string;
    clusterDomain?: string;
    cloud?: Cloud;
    extraNoProxy?: string[];
  };
  mirror?: { registry?: string; layout?: 'nested' | 'flat'; digestsOnly?: boolean };
  runtimes?: Runtime[];
  layers?: string[][];
  files?: string[];
  schemas?: Array<{ path: string; files?: string[] }>;
  /** Which chart the matching values files belong to (chart knowledge), when no Chart.yaml says so. */
  charts?: Array<{ chart: string; files?: string[] }>;
  rules?: Record<string, SeveritySetting>;
  /**
   * Editor-only: `defer` leaves files with a yaml-language-server modeline to the YAML
   * extension that validates them too, so schema errors are not shown twice.
   */
  schemaModeline?: 'validate' | 'defer';
}

export interface ClusterProfile {
  distribution?: Distribution;
  podCIDR: string[];
  serviceCIDR: string[];
  apiServerIP?: string;
  clusterDomain: string;
  cloud?: Cloud;
  extraNoProxy: string[];
  /** True when anything about the cluster network is known (a preset or an explicit CIDR). */
  known: boolean;
}

export interface ResolvedConfig {
  /** Absolute path of the config file in effect, if any. */
  configPath?: string;
  /** Folder that relative paths in the config are resolved against. */
  baseDir: string;
  cluster: ClusterProfile;
  mirror: {
    registry?: string;
    layout: 'nested' | 'flat';
    digestsOnly: boolean;
    /** `registry` parsed once (host and path prefix); undefined when unset or unusable. */
    parsed?: MirrorRegistry;
    /** Why `registry` is unusable (a scheme, a Docker Hub namespace …), when it is. */
    problem?: string;
  };
  runtimes: Runtime[];
  /** Whether `runtimes` was set explicitly (it then overrides chart annotations). */
  runtimesExplicit: boolean;
  /** Layer stacks with absolute paths. */
  layers: string[][];
  files: string[];
  schemas: Array<{ path: string; files: string[] }>;
  /** `charts:` entries: files matching `files` (relative to baseDir) are values of `chart`. */
  charts: Array<{ chart: string; files: string[] }>;
  rules: Record<string, SeveritySetting>;
  /** Whether schemas named by a yaml-language-server modeline are validated here or deferred. */
  schemaModeline: 'validate' | 'defer';
  /** `config/invalid` findings on the config file itself. */
  problems: Finding[];
}

let validateConfig: ValidateFunction | undefined;
function configValidator(): ValidateFunction {
  // Interpreted as chart schemas are (same errors as ajv); ajv only if the interpreter refused it.
  validateConfig ??= builtInValidator(configSchema, '/airgap-lint/schemas/airgap-lint.schema.json') ?? new Ajv({ allErrors: true, strict: false }).compile(configSchema as object);
  return validateConfig;
}

function asList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [v];
}

/** Validates a parsed config file; the problems carry ranges in that file. */
export function checkConfigDocument(doc: ValuesDocument): Finding[] {
  const problems: Finding[] = [];
  for (const p of doc.problems) {
    problems.push({ code: 'config/invalid', severity: 'error', message: `Invalid YAML: ${p.message}`, path: doc.path, range: p.range, fixes: [] });
  }
  if (problems.length) return problems;
  const values = doc.values;
  if (values === null) return problems; // an empty config file is fine
  const validate = configValidator();
  if (!validate(values)) {
    for (const err of dedupeErrors(validate.errors ?? [])) {
      problems.push({
        code: 'config/invalid',
        severity: 'error',
        message: describeConfigError(err),
        path: doc.path,
        range: rangeForSchemaError(doc, err),
        fixes: [],
      });
    }
  }
  problems.push(...checkConfigValues(doc)); // what the schema cannot say: config-checks.ts
  return problems;
}

function dedupeErrors(errors: ErrorObject[]): ErrorObject[] {
  // oneOf/anyOf produce an error per branch plus their own; keep the most specific.
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') return false;
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function describeConfigError(err: ErrorObject): string {
  const where = err.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : 'the configuration';
  switch (err.keyword) {
    case 'additionalProperties':
      return `Unknown key "${(err.params as { additionalProperty: string }).additionalProperty}" in ${where}.`;
    case 'enum':
      return `${where} must be one of: ${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')}.`;
    default:
      return `${where} ${err.message ?? 'is invalid'}.`;
  }
}

/** Finds the nearest config file from a folder upwards. */
export function findConfigFile(startDir: string, host: FileHost): string | undefined {
  let dir = nodePath.resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = nodePath.join(dir, name);
      if (host.readFile(candidate) !== undefined) return candidate;
    }
    const parent = nodePath.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Resolves the configuration for files in `dir`. `settings` are the editor's `airgapLint.*`
 * values (or nothing in the CLI); `explicitConfig` is the CLI's `--config` path.
 */
export function resolveConfig(
  dir: string,
  host: FileHost,
  settings: ConfigInput = {},
  explicitConfig?: string,
): ResolvedConfig {
  const configPath = explicitConfig ? nodePath.resolve(explicitConfig) : findConfigFile(dir, host);
  let fileInput: ConfigInput = {};
  let problems: Finding[] = [];
  if (configPath) {
    const text = host.readFile(configPath);
    if (text === undefined) {
      problems.push({
        code: 'config/invalid',
        severity: 'error',
        message: `Cannot read the configuration file ${configPath}.`,
        path: configPath,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        fixes: [],
      });
    } else {
      const doc = parseValuesDocument(configPath, text);
      problems = checkConfigDocument(doc);
      // Use what is valid even when part of it is not: a typo in one key should not
      // switch off every cluster-aware check.
      if (doc.values && typeof doc.values === 'object' && !Array.isArray(doc.values)) {
        fileInput = sanitizeInput(doc.values);
      }
    }
  }
  const baseDir = configPath ? nodePath.dirname(configPath) : nodePath.resolve(dir);
  return mergeConfig(settings, fileInput, baseDir, configPath, problems);
}

function sanitizeInput(values: { [k: string]: JsonValue }): ConfigInput {
  const v = values as unknown as ConfigInput;
  const out: ConfigInput = {};
  if (v.cluster && typeof v.cluster === 'object' && !Array.isArray(v.cluster)) out.cluster = v.cluster;
  if (v.mirror && typeof v.mirror === 'object' && !Array.isArray(v.mirror)) out.mirror = v.mirror;
  if (Array.isArray(v.runtimes)) out.runtimes = v.runtimes.filter((r) => typeof r === 'string');
  if (Array.isArray(v.layers)) out.layers = v.layers.filter((l) => Array.isArray(l)).map((l) => l.filter((p) => typeof p === 'string'));
  if (Array.isArray(v.files)) out.files = v.files.filter((f) => typeof f === 'string');
  if (Array.isArray(v.schemas)) out.schemas = v.schemas.filter((s) => s && typeof s === 'object' && typeof s.path === 'string');
  if (Array.isArray(v.charts)) out.charts = v.charts.filter((c) => c && typeof c === 'object' && typeof c.chart === 'string');
  if (v.rules && typeof v.rules === 'object' && !Array.isArray(v.rules)) {
    // `off` unquoted is the boolean false in YAML 1.1; it means what the user wrote.
    out.rules = Object.fromEntries(
      Object.entries(v.rules as Record<string, unknown>).map(([id, sev]) => [id, sev === false ? 'off' : sev]),
    ) as Record<string, SeveritySetting>;
  }
  return out;
}

function stringList(v: unknown): string[] | undefined {
  const list = asList(v as string | string[] | undefined);
  return list?.filter((x) => typeof x === 'string');
}

export function mergeConfig(
  settings: ConfigInput,
  file: ConfigInput,
  baseDir: string,
  configPath?: string,
  problems: Finding[] = [],
): ResolvedConfig {
  const sc = settings.cluster ?? {};
  const fc = file.cluster ?? {};
  const distribution = fc.distribution ?? sc.distribution;
  const preset = presetFor(distribution);
  const podCIDR = stringList(fc.podCIDR) ?? stringList(sc.podCIDR) ?? preset?.podCIDR ?? [];
  const explicitServiceCIDR = stringList(fc.serviceCIDR) ?? stringList(sc.serviceCIDR);
  const serviceCIDR = explicitServiceCIDR ?? preset?.serviceCIDR ?? [];
  // The preset's apiserver IP belongs to the preset's service CIDR: with another service CIDR
  // it is left unset, and the rules take the range's first address as Kubernetes does.
  const apiServerIP = fc.apiServerIP ?? sc.apiServerIP ?? (explicitServiceCIDR ? undefined : preset?.apiServerIP);
  const cluster: ClusterProfile = {
    distribution,
    podCIDR,
    serviceCIDR,
    apiServerIP,
    clusterDomain: fc.clusterDomain ?? sc.clusterDomain ?? preset?.clusterDomain ?? 'cluster.local',
    cloud: fc.cloud ?? sc.cloud ?? preset?.cloud,
    extraNoProxy: [...(stringList(sc.extraNoProxy) ?? []), ...(stringList(fc.extraNoProxy) ?? [])],
    known: Boolean(distribution || podCIDR.length || serviceCIDR.length || apiServerIP),
  };
  const mirror: ResolvedConfig['mirror'] = {
    registry: file.mirror?.registry ?? settings.mirror?.registry,
    layout: file.mirror?.layout ?? settings.mirror?.layout ?? 'nested',
    digestsOnly: file.mirror?.digestsOnly ?? settings.mirror?.digestsOnly ?? false,
  };
  if (typeof mirror.registry === 'string' && mirror.registry.trim() !== '') {
    const parsed = parseMirrorRegistry(mirror.registry);
    if ('ok' in parsed) mirror.problem = parsed.message;
    else mirror.parsed = parsed;
  }
  const runtimes = file.runtimes ?? settings.runtimes;
  // Layer paths in the file are relative to it; in settings, to the workspace folder (baseDir).
  const layers = (file.layers ?? settings.layers ?? []).map((stack) => stack.slice(0, MAX_LAYERS_PER_STACK).map((p) => nodePath.resolve(baseDir, p)).filter((p) => !isConfigFile(p)));
  const schemas = [...(settings.schemas ?? []), ...(file.schemas ?? [])].map((s) => ({
    path: nodePath.resolve(baseDir, s.path),
    files: s.files ?? ['**/*'],
  }));
  const charts = [...(settings.charts ?? []), ...(file.charts ?? [])].map((c) => ({
    chart: c.chart,
    files: (c.files ?? ['**/*']).filter((f) => typeof f === 'string'),
  }));
  return {
    configPath,
    baseDir,
    cluster,
    mirror,
    runtimes: runtimes && runtimes.length ? [...runtimes] : [...DEFAULT_RUNTIMES],
    runtimesExplicit: Boolean(runtimes && runtimes.length),
    layers,
    files: file.files ?? settings.files ?? DEFAULT_FILE_PATTERNS,
    schemas,
    charts,
    rules: { ...(settings.rules ?? {}), ...(file.rules ?? {}) },
    schemaModeline: settings.schemaModeline ?? 'validate',
    problems,
  };
}

/** Whether a path is a values file under the configured patterns (or a config file). */
export function isValuesFile(filePath: string, patterns: string[] = DEFAULT_FILE_PATTERNS, baseDir?: string): boolean {
  const base = nodePath.basename(filePath);
  const rel = baseDir ? nodePath.relative(baseDir, filePath).split(nodePath.sep).join('/') : base;
  return patterns.some((p) =>
    p.includes('/') ? minimatch(rel, p, { dot: true }) : minimatch(base, p, { dot: true }),
  );
}

export function isConfigFile(filePath: string): boolean {
  return CONFIG_FILE_NAMES.includes(nodePath.basename(filePath));
}
