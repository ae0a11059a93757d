// The server's lint scheduling (server/src/lsp/scheduler.ts): per-document debounce, and a
// longer wait after edits to a document that is slow to lint (a 10 MB values file).
import { strict as assert } from 'node:assert';
import { DebounceScheduler, editDelay, MAX_ADAPTIVE_DELAY_MS } from '../server/src/lsp/scheduler';

describe('lint scheduling', () => {
  it('waits the configured debounce for a document linted quickly or not yet linted', () => {
    assert.equal(editDelay(200, undefined), 200);
    assert.equal(editDelay(200, 12), 200);
    assert.equal(editDelay(0, 90), 180);
  });

  it('waits twice the last lint time for a slow document, up to a cap', () => {
    assert.equal(editDelay(200, 400), 800);
    assert.equal(editDelay(200, 1800), 3600);
    assert.equal(editDelay(200, 20_000), MAX_ADAPTIVE_DELAY_MS);
    assert.equal(editDelay(8000, 20_000), 8000, 'a longer configured debounce still wins');
  });

  it('runs only the last request of a burst per key, and keys do not delay each other', async () => {
    const scheduler = new DebounceScheduler<string>();
    const runs: string[] = [];
    for (let i = 0; i < 5; i++) scheduler.schedule('a', 20, () => runs.push(`a${i}`));
    scheduler.schedule('b', 0, () => runs.push('b'));
    assert.equal(scheduler.pendingCount, 2);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(runs, ['b', 'a4']);
    scheduler.schedule('c', 10, () => runs.push('c'));
    scheduler.cancel('c');
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(runs, ['b', 'a4']);
    assert.equal(scheduler.pendingCount, 0);
  });
});
