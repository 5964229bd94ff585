interface Job<I, O> {
  items: readonly I[];
  results: O[];
  /** Items handed to a forward pass so far. */
  next: number;
  done: number;
  settled: boolean;
  resolve(results: O[]): void;
  reject(error: unknown): void;
}

/**
 * Runs items through `forward` in batches of at most `size`, one pass at a
 * time. Calls made in the same turn of the event loop share passes, so many
 * small concurrent requests (a server's) become few full batches; a large call
 * is split. A call whose signal aborts is dropped from the queue.
 */
export class Batcher<I, O> {
  private queue: Array<Job<I, O>> = [];
  private draining = false;
  private passCount = 0;

  constructor(
    private readonly size: number,
    private readonly forward: (batch: I[]) => Promise<O[]>,
  ) {}

  /** Forward passes run so far. */
  get passes(): number {
    return this.passCount;
  }

  run(items: readonly I[], signal?: AbortSignal): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<O[]>((resolve, reject) => {
      const job: Job<I, O> = { items, results: new Array<O>(items.length), next: 0, done: 0, settled: false, resolve, reject };
      signal?.addEventListener(
        'abort',
        () => {
          this.settle(job, undefined, signal.reason);
          this.queue = this.queue.filter((j) => j !== job);
        },
        { once: true },
      );
      this.queue.push(job);
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const slots: Array<{ job: Job<I, O>; index: number }> = [];
      for (const job of this.queue) {
        while (job.next < job.items.length && slots.length < this.size) slots.push({ job, index: job.next++ });
        if (slots.length === this.size) break;
      }
      this.queue = this.queue.filter((j) => j.next < j.items.length);
      try {
        const out = await this.forward(slots.map(({ job, index }) => job.items[index] as I));
        this.passCount += 1;
        slots.forEach(({ job, index }, k) => {
          job.results[index] = out[k] as O;
          job.done += 1;
          if (job.done === job.items.length) this.settle(job, job.results);
        });
      } catch (error) {
        const failed = new Set(slots.map((s) => s.job));
        for (const job of failed) this.settle(job, undefined, error);
        this.queue = this.queue.filter((j) => !failed.has(j));
      }
    }
    this.draining = false;
  }

  private settle(job: Job<I, O>, results: O[] | undefined, error?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (results === undefined) job.reject(error);
    else job.resolve(results);
  }
}
