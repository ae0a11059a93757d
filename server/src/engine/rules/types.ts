// The contract between the engine and a rule family. A rule reads the parsed document, the
// resolved config and (lazily) the layer stack, and reports findings with ranges it got from
// the document; severity overrides and suppression are applied by the engine afterwards.
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import type { ChartKnowledge } from '../knowledge';
import type { Finding, FileHost, Severity } from '../types';

export type FindingInput = Omit<Finding, 'severity' | 'path' | 'fixes'> & {
  severity?: Severity;
  /** Defaults to the linted file. */
  path?: string;
  fixes?: Finding['fixes'];
};

export interface LintContext {
  doc: ValuesDocument;
  config: ResolvedConfig;
  host: FileHost;
  /** Parsed document of another file (cached per version); undefined if it cannot be read. */
  getDocument(path: string): ValuesDocument | undefined;
  report(finding: FindingInput): void;
  /**
   * The chart knowledge of the file (resolved on first use, cached per file and config). The
   * engine always provides it; rules read it through `knowledgeOf(ctx)`, which resolves it for
   * a hand-built context too.
   */
  knowledge?(): ChartKnowledge;
}

export interface RuleModule {
  /** A name for logs and benchmarks, e.g. "yaml", "schema". */
  name: string;
  check(ctx: LintContext): void;
}
