// Small statistics helpers shared by the benchmark workers.
export function summary(samples) {
  const xs = [...samples].sort((a, b) => a - b);
  const at = (q) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(q * xs.length) - 1))];
  return { n: xs.length, median: xs.length ? (xs.length % 2 ? xs[xs.length >> 1] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2) : NaN, p90: at(0.9), min: xs[0], max: xs[xs.length - 1] };
}

/** Forces full collections until the heap stops shrinking (needs node --expose-gc). */
export function settledHeap() {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    globalThis.gc();
    const used = process.memoryUsage().heapUsed;
    if (Math.abs(last - used) < 64 * 1024) return used;
    last = used;
  }
  return last;
}

/** N distinct, flat copies of a text (as N editor buffers would be). */
export function distinctCopies(text, n, offset) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const s = text.slice(0, offset) + 'qxzjkvQXZJKV'[i % 12] + text.slice(offset + 1);
    // Flatten the cons string so each copy is one plain string like a real buffer.
    out.push(Buffer.from(s, 'utf8').toString('utf8'));
  }
  return out;
}
