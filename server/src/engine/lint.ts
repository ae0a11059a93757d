// The engine's entry point: lint(file) → findings. One Engine instance keeps the caches that
// make repeated linting cheap (parsed documents per text, configs per folder); the server, the
// CLI and the tests each hold one.
import * as nodePath from 'node:path';
import { checkConfigDocument, isConfigFile, resolveConfig, type ConfigInput, type ResolvedConfig } from './config';
import type { ValuesDocument } from './document';
import { reparseValuesDocument } from './document/incremental';
import { knowledgeFor, type ChartKnowledge } from './knowledge';
import { knowledgeRules } from './rules/knowledge';
import { ruleInfo } from './rules/catalog';
import type { FindingInput, LintContext, RuleModule } from './rules/types';
import { imageRules } from './rules/images';
import { layerRules } from './rules/layers';
import { placeholderRules } from './rules/placeholder';
import { proxyRules } from './rules/proxy';
import { schemaRules } from './rules/schema';
import { yamlRules } from './rules/yaml';
import { plainText } from './wording';
import { collectSuppressions, isSuppressed } from './suppression';
import type { FileHost, FileResult, Finding, Severity } from './types';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export interface EngineOptions {
  /** Editor settings (`airgapLint.*`), merged under the config file. */
  settings?: ConfigInput;
  /** The CLI's `--config FILE`: used for every file instead of discovery. */
  configPath?: string;
  /** Rule families to run; defaults to every built-in family. */
  rules?: RuleModule[];
}

/** The rule families, in the order they run: one explicit list. */
const builtinRules: readonly RuleModule[] = [yamlRules, layerRules, schemaRules, knowledgeRules, placeholderRules, imageRules, proxyRules];

export class Engine {
  private readonly docs = new Map<string, ValuesDocument>();
  private readonly configs = new Map<string, ResolvedConfig>();
  private settings: ConfigInput;
  private readonly configPath?: string;
  private readonly rules?: RuleModule[];

  private readonly diskHost: FileHost;
  /** The host of a read snapshot (`withReadSnapshot`), while one is taken. */
  private snapshotHost?: FileHost;

  constructor(host: FileHost, options: EngineOptions = {}) {
    this.diskHost = host;
    this.settings = options.settings ?? {};
    this.configPath = options.configPath;
    this.rules = options.rules;
  }

  /** Where files are read: the host given, or its snapshot while one is taken. */
  get host(): FileHost {
    return this.snapshotHost ?? this.diskHost;
  }

  /**
   * Runs `fn` with every file read at most once. One lint or one generator asks for the same
   * Chart.yaml, schemas and layers many times over one answer, and nothing that changes
   * meanwhile should be seen half-way; the next lint reads afresh (editor buffers included).
   */
  protected withReadSnapshot<T>(fn: () => T): T {
    if (this.snapshotHost) return fn();
    const reads = new Map<string, string | undefined>();
    const base = this.diskHost;
    this.snapshotHost = {
      readFile: (path) => {
        if (reads.has(path)) return reads.get(path);
        const text = base.readFile(path);
        reads.set(path, text);
        return text;
      },
      ...(base.version ? { version: (path: string) => base.version!(path) } : {}),
      ...(base.listDir ? { listDir: (dir: string) => base.listDir!(dir) } : {}),
    };
    try {
      return fn();
    } finally {
      this.snapshotHost = undefined;
    }
  }

  setSettings(settings: ConfigInput): void {
    this.settings = settings;
    this.configs.clear();
  }

  /** The parsed document for a path, re-parsed only when its text changed. */
  getDocument(path: string): ValuesDocument | undefined {
    const abs = nodePath.resolve(path);
    const text = this.host.readFile(abs);
    if (text === undefined) {
      this.docs.delete(abs);
      return undefined;
    }
    const cached = this.docs.get(abs);
    if (cached && cached.text === text) return cached;
    // Re-parses only the top-level blocks the edit touched (a full parse when that is unsafe).
    const doc = reparseValuesDocument(cached, abs, text, this.host.version?.(abs));
    this.docs.set(abs, doc);
    return doc;
  }

  /** Frees everything held for a path (an editor closed it, or it changed on disk). */
  forget(path: string): void {
    this.docs.delete(nodePath.resolve(path));
  }

  /** Drops cached configs (a config file or settings changed). */
  invalidateConfigs(): void {
    this.configs.clear();
  }

  configFor(path: string): ResolvedConfig {
    const dir = nodePath.dirname(nodePath.resolve(path));
    let config = this.configs.get(dir);
    if (!config) {
      config = resolveConfig(dir, this.host, this.settings, this.configPath);
      this.configs.set(dir, config);
    }
    return config;
  }

  /** The chart knowledge of a values file (cached per file and config while its inputs are unchanged). */
  knowledgeFor(path: string): ChartKnowledge {
    const abs = nodePath.resolve(path);
    return knowledgeFor({ path: abs, values: this.getDocument(abs)?.values ?? null }, this.configFor(abs), this.host);
  }

  /** Number of parsed documents held (for tests and the memory benchmark). */
  get cachedDocumentCount(): number {
    return this.docs.size;
  }

  /** Lints one file. Each file it needs (Chart.yaml, schemas, layers) is read once per lint. */
  lint(path: string): FileResult {
    return this.withReadSnapshot(() => this.lintNow(path));
  }

  private lintNow(path: string): FileResult {
    const abs = nodePath.resolve(path);
    const doc = this.getDocument(abs);
    if (!doc) {
      return { path: abs, findings: [] };
    }
    if (isConfigFile(abs)) return { path: abs, findings: checkConfigDocument(doc) };
    const config = this.configFor(abs);
    const findings: Finding[] = [];
    let knowledge: ChartKnowledge | undefined;
    const ctx: LintContext = {
      doc,
      config,
      host: this.host,
      getDocument: (p) => this.getDocument(p),
      report: (input: FindingInput) => findings.push(toFinding(input, abs)),
      knowledge: () => (knowledge ??= this.knowledgeFor(abs)),
    };
    for (const rule of this.rules ?? builtinRules) {
      try {
        rule.check(ctx);
      } catch (err) {
        // A bug in one rule must not take the others (or the server) down with it.
        findings.push({
          code: 'internal/error',
          severity: 'error',
          message: `airgap-lint internal error in the ${rule.name} rules: please report it with the file that caused it`,
          detail: `${(err as Error).message}`,
          path: abs,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          fixes: [],
        });
      }
    }
    if (config.problems.length && config.configPath) {
      findings.push({
        code: 'config/invalid',
        severity: 'error',
        message: `The configuration ${nodePath.basename(config.configPath)} has ${config.problems.length} problem(s): the valid parts are used`,
        detail: `First: ${config.problems[0].message}`,
        path: abs,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        fixes: [],
        related: config.problems.slice(0, 20).map((p) => ({ path: p.path, range: p.range, message: p.message })),
      });
    }
    return { path: abs, findings: finalize(findings, doc, config) };
  }
}

function toFinding(input: FindingInput, path: string): Finding {
  return {
    ...input,
    message: plainText(input.message),
    ...(input.detail !== undefined ? { detail: plainText(input.detail) } : {}),
    ...(input.related ? { related: input.related.map((r) => ({ ...r, message: plainText(r.message) })) } : {}),
    severity: input.severity ?? ruleInfo(input.code)?.severity ?? 'warning',
    path: input.path ?? path,
    fixes: input.fixes ?? [],
  };
}

function configuredSeverity(rules: ResolvedConfig['rules'], code: string): Severity | 'off' | undefined {
  if (rules[code]) return rules[code];
  const family = code.split('/')[0] + '/*';
  return rules[family];
}

/** Applies configured severities, `off`, and suppression comments; sorts by position. */
function finalize(findings: Finding[], doc: ValuesDocument, config: ResolvedConfig): Finding[] {
  const suppressions = collectSuppressions(doc);
  const out: Finding[] = [];
  for (const f of findings) {
    const configured = configuredSeverity(config.rules, f.code);
    if (configured === 'off') continue;
    if (f.path === doc.path && isSuppressed(suppressions, f.code, f.range.start.line)) continue;
    out.push(configured ? { ...f, severity: configured } : f);
  }
  out.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.code.localeCompare(b.code),
  );
  return out;
}
