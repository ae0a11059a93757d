// The `airgapLint.*` editor settings → the engine's ConfigInput plus server-only knobs.
// Settings arrive from any LSP client, so every field is checked; unset or empty values are
// dropped so that they never shadow a distribution preset or the config file.
import * as nodePath from 'node:path';
import type { ConfigInput, Runtime, SeveritySetting } from '../engine';

export interface ServerSettings {
  config: ConfigInput;
  /** Delay between the last edit and validation. */
  debounceMs: number;
}

export const DEFAULT_DEBOUNCE_MS = 200;
const MAX_DEBOUNCE_MS = 10_000;
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);
const RUNTIMES = new Set(['go', 'curl', 'python', 'node', 'java']);

type Raw = Record<string, unknown>;

/** What the client told us at start-up (initializationOptions). */
export interface ClientEnvironment {
  /** Red Hat's YAML extension is installed and enabled: it validates modeline schemas itself. */
  yamlExtensionActive?: boolean;
}

/**
 * `airgapLint.schema.modeline`: `auto` (default) defers modeline schemas to the YAML extension
 * when it is active, so users never see each schema error twice; `validate` and `defer` force it.
 */
function modelineMode(setting: unknown, client: ClientEnvironment): 'validate' | 'defer' {
  if (setting === 'validate' || setting === 'defer') return setting;
  return client.yamlExtensionActive ? 'defer' : 'validate';
}

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function stringList(v: unknown): string[] | undefined {
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
  const strings = list?.map(nonEmptyString).filter((s): s is string => s !== undefined);
  return strings && strings.length ? strings : undefined;
}

function dropUndefined<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}

/**
 * Reads the `airgapLint` settings section. `folderPath` is the workspace folder the settings
 * belong to: relative layer paths in settings are resolved against it.
 */
export function readSettings(raw: unknown, folderPath?: string, client: ClientEnvironment = {}): ServerSettings {
  const s = isObject(raw) ? raw : {};
  const config: ConfigInput = {};
  const schema = isObject(s.schema) ? s.schema : {};
  if (modelineMode(schema.modeline, client) === 'defer') config.schemaModeline = 'defer';

  if (isObject(s.cluster)) {
    const c = s.cluster;
    config.cluster = dropUndefined({
      distribution: nonEmptyString(c.distribution) as NonNullable<ConfigInput['cluster']>['distribution'],
      podCIDR: stringList(c.podCIDR),
      serviceCIDR: stringList(c.serviceCIDR),
      apiServerIP: nonEmptyString(c.apiServerIP),
      clusterDomain: nonEmptyString(c.clusterDomain),
      cloud: nonEmptyString(c.cloud) as NonNullable<ConfigInput['cluster']>['cloud'],
      extraNoProxy: stringList(c.extraNoProxy),
    });
  }
  if (isObject(s.mirror)) {
    const m = s.mirror;
    const layout = m.layout === 'nested' || m.layout === 'flat' ? m.layout : undefined;
    config.mirror = dropUndefined({
      registry: nonEmptyString(m.registry),
      layout,
      digestsOnly: typeof m.digestsOnly === 'boolean' ? m.digestsOnly : undefined,
    });
  }
  const runtimes = stringList(s.runtimes)?.filter((r) => RUNTIMES.has(r)) as Runtime[] | undefined;
  if (runtimes?.length) config.runtimes = runtimes;
  if (Array.isArray(s.layers)) {
    const layers = s.layers
      .map((stack) => (Array.isArray(stack) ? stringList(stack) : undefined))
      .filter((stack): stack is string[] => stack !== undefined)
      .map((stack) => (folderPath ? stack.map((p) => nodePath.resolve(folderPath, p)) : stack));
    if (layers.length) config.layers = layers;
  }
  if (Array.isArray(s.schemas)) {
    const schemas = s.schemas
      .filter(isObject)
      .map((entry) => ({ path: nonEmptyString(entry.path), files: stringList(entry.files) }))
      .filter((entry): entry is { path: string; files: string[] | undefined } => entry.path !== undefined)
      .map((entry) => dropUndefined({ path: folderPath ? nodePath.resolve(folderPath, entry.path) : entry.path, files: entry.files })!);
    if (schemas.length) config.schemas = schemas;
  }
  const files = stringList(s.files);
  if (files) config.files = files;
  if (isObject(s.rules)) {
    const rules: Record<string, SeveritySetting> = {};
    for (const [id, value] of Object.entries(s.rules)) {
      // `false` is the JSON spelling of "off" that the config schema also accepts.
      const severity = value === false ? 'off' : value;
      if (typeof severity === 'string' && SEVERITIES.has(severity)) rules[id] = severity as SeveritySetting;
    }
    if (Object.keys(rules).length) config.rules = rules;
  }
  for (const key of ['cluster', 'mirror'] as const) if (config[key] === undefined) delete config[key];

  const validate = isObject(s.validate) ? s.validate : {};
  const debounce = typeof validate.debounceMs === 'number' && Number.isFinite(validate.debounceMs) ? validate.debounceMs : DEFAULT_DEBOUNCE_MS;
  return { config, debounceMs: Math.min(MAX_DEBOUNCE_MS, Math.max(0, Math.round(debounce))) };
}
