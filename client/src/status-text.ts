// What the status bar item says, as plain functions (no `vscode` import, so tests run them in
// Node): "Air-Gap Lint: k3s · proxy · harbor.corp:5000". The name says whose item it is; the
// parts that are not known (no mode, no mirror) are left out rather than shown empty.

export interface StatusParts {
  /** The cluster profile: a distribution, `custom`, or `no profile`. */
  profile: string;
  /** `proxy` or `air-gap` (see engine/services/stack-status.ts), absent when nothing says. */
  mode?: string;
  mirrorRegistry?: string;
}

export const STATUS_PREFIX = 'Air-Gap Lint:';

export function statusText(parts: StatusParts): string {
  return `${STATUS_PREFIX} ${[parts.profile, parts.mode, parts.mirrorRegistry].filter((p) => p).join(' · ')}`;
}

export interface ProblemCount {
  errors: number;
  warnings: number;
}

/** A layer's counts, or undefined when the caller has to count its diagnostics itself. */
export type LayerCount = Partial<ProblemCount>;

/** The stack's total: the server's counts where given, `own(i)` (the editor's live diagnostics) for the rest. */
export function stackProblems(layers: LayerCount[], own: (index: number) => ProblemCount): ProblemCount {
  return layers.reduce<ProblemCount>(
    (sum, layer, i) => {
      const c = layer.errors === undefined || layer.warnings === undefined ? own(i) : (layer as ProblemCount);
      return { errors: sum.errors + c.errors, warnings: sum.warnings + c.warnings };
    },
    { errors: 0, warnings: 0 },
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "2 errors, 1 warning in the 2 files of this layer stack" / "No problems in this file". */
export function problemSummary(total: ProblemCount, files: number): string {
  const where = files > 1 ? `in the ${files} files of this layer stack` : 'in this file';
  if (total.errors === 0 && total.warnings === 0) return `No errors or warnings ${where}`;
  return `${plural(total.errors, 'error')}, ${plural(total.warnings, 'warning')} ${where}`;
}
