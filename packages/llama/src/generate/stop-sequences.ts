/**
 * Text-level stop sequences over a growing output: `push` returns the text
 * safe to emit now, holding back any tail that could still become a stop
 * sequence, and reports when one has appeared (the output is cut before it).
 */
export class StopSequenceFilter {
  private text = '';
  private emitted = 0;
  stopped = false;

  constructor(private readonly stops: readonly string[]) {}

  push(piece: string): string {
    if (this.stopped) return '';
    this.text += piece;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.text.indexOf(stop, this.emitted);
      if (at !== -1 && (cut === -1 || at < cut)) cut = at;
    }
    if (cut !== -1) {
      this.stopped = true;
      this.text = this.text.slice(0, cut);
      return this.take(cut);
    }
    return this.take(this.text.length - this.heldBack());
  }

  /** The rest once generation ends without a stop. */
  flush(): string {
    return this.take(this.text.length);
  }

  /** Everything emitted (the final text once generation ends). */
  get output(): string {
    return this.text.slice(0, this.emitted);
  }

  private heldBack(): number {
    let hold = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, this.text.length); n > hold; n--) {
        if (this.text.endsWith(stop.slice(0, n))) {
          hold = n;
          break;
        }
      }
    }
    return hold;
  }

  private take(until: number): string {
    const end = Math.max(until, this.emitted);
    const out = this.text.slice(this.emitted, end);
    this.emitted = end;
    return out;
  }
}
