// Shared vocabulary of the engine. Positions are LSP-shaped (0-based line, UTF-16 character)
// so that the server, the CLI's JSON/SARIF output and the tests all speak the same units.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix: text edits to one file (the finding's file unless `path` says otherwise). */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe fixes are the ones `--fix` and `source.fixAll.airgapLint` apply without asking. */
  safe: boolean;
  /** The main fix of a finding; shown first and marked `isPreferred` in the editor. */
  preferred?: boolean;
  /** Absolute path of the file the edits apply to, when it is not the finding's own file. */
  path?: string;
  /**
   * The edits carry a credential (a proxy password, a value the chart marks as secret): the
   * fix is offered in the editor only, never applied by `--fix` or fix-all, and reports show
   * it with the credential redacted and a note that it must be applied in the editor.
   */
  sensitive?: true;
  /** A client command to run instead of (or after) the edits, e.g. the profile quick pick. */
  command?: { command: string; title: string; arguments?: unknown[] };
}

export interface RelatedLocation {
  path: string;
  range: Range;
  message: string;
}

export interface Finding {
  /** Rule ID, e.g. `yaml/syntax`, `schema/type`. */
  code: string;
  severity: Severity;
  /**
   * The headline: what is wrong and what to do, in at most ~120 characters with no Markdown
   * (editors show it raw, and the Problems panel cuts long lines before their action).
   */
  message: string;
  /** The why: plain sentences shown below the headline (related information, reports, docs). */
  detail?: string;
  /** Absolute path of the file the finding is in. */
  path: string;
  range: Range;
  fixes: Fix[];
  related?: RelatedLocation[];
  /** `unnecessary` renders faded in editors (redundant entries). */
  tags?: Array<'unnecessary' | 'deprecated'>;
}

export interface FileResult {
  path: string;
  findings: Finding[];
}

/** Reads files for the engine; the server overlays open editor buffers on top of the disk. */
export interface FileHost {
  /** The text of a file, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** Version of an in-memory document (editor buffer), if the host has one. */
  version?(path: string): number | undefined;
  /** Names of the entries of a folder (layering finds a chart's overlays); undefined if unreadable. */
  listDir?(dir: string): string[] | undefined;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A path into values: map keys are strings, sequence indexes numbers. */
export type ValuePath = Array<string | number>;
