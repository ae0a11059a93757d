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
