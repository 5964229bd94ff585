/**
 * Cuts streamed text at the first stop sequence. Text that could still turn
 * into a stop sequence is held back until the next piece decides it.
 */
export class StopSequenceFilter {
  private text = '';
  private emitted = 0;
  private readonly holdBack: number;
  stopped = false;

  constructor(private readonly stops: readonly string[]) {
    this.holdBack = Math.max(0, ...stops.map((s) => s.length - 1));
  }

  /** The new text that is safe to hand out; sets `stopped` when a stop sequence appears. */
  push(piece: string): string {
    if (this.stopped) return '';
    this.text += piece;
    const at = this.firstStop();
    if (at !== undefined) {
      this.stopped = true;
      return this.take(at);
    }
    return this.take(Math.max(this.emitted, this.text.length - this.holdBack));
  }

  /** Whatever was held back, at the end of generation. */
  flush(): string {
    return this.stopped ? '' : this.take(this.text.length);
  }

  /** Everything handed out so far. */
  get output(): string {
    return this.text.slice(0, this.emitted);
  }

  private firstStop(): number | undefined {
    let first: number | undefined;
    for (const stop of this.stops) {
      if (stop === '') continue;
      const at = this.text.indexOf(stop, Math.max(0, this.emitted - stop.length + 1));
      if (at >= 0 && (first === undefined || at < first)) first = at;
    }
    return first;
  }

  private take(end: number): string {
    const out = this.text.slice(this.emitted, end);
    this.emitted = Math.max(this.emitted, end);
    return out;
  }
}
