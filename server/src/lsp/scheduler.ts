// Per-key debounce: a new request for a key replaces the pending one, so a burst of edits to
// one document costs one lint, and edits to one document never delay another's.

export class DebounceScheduler<K> {
  private readonly timers = new Map<K, NodeJS.Timeout>();

  schedule(key: K, delayMs: number, run: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      run();
    }, Math.max(0, delayMs));
    this.timers.set(key, timer);
  }

  cancel(key: K): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  isPending(key: K): boolean {
    return this.timers.has(key);
  }

  get pendingCount(): number {
    return this.timers.size;
  }
}

/** The longest an edit waits because its document is slow to lint (a 10 MB file: seconds). */
export const MAX_ADAPTIVE_DELAY_MS = 5_000;

/**
 * The delay before re-linting an edited document: the configured debounce, or twice the time
 * its last lint took when that is longer (capped). A lint blocks the server, so a document that
 * takes seconds is linted once the user pauses for longer than that, not after every short
 * pause, and hovers, completions and other documents are not stuck behind a queue of lints.
 */
export function editDelay(debounceMs: number, lastLintMs: number | undefined): number {
  if (lastLintMs === undefined) return debounceMs;
  return Math.max(debounceMs, Math.min(MAX_ADAPTIVE_DELAY_MS, Math.round(lastLintMs * 2)));
}
