/**
 * An abort signal that fires when the caller's signal does or when the armed
 * time limit runs out, whichever is first. The limit can be re-armed (a
 * stream re-arms it before each read and disarms it after, so a consumer that
 * is slow between chunks is not mistaken for a stalled server). One cleared
 * timer and one listener on the caller, both let go by `dispose()`:
 * `AbortSignal.timeout` plus `AbortSignal.any` left a timer and weak
 * references behind for every call, tens of thousands alive under load.
 */
export class Deadline<Label = undefined> {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private expiry: { ms: number; label: Label } | undefined;
  private readonly follow = (): void => this.controller.abort(this.caller?.reason);

  constructor(private readonly caller: AbortSignal | undefined) {
    this.signal = this.controller.signal;
    if (caller?.aborted) this.follow();
    else caller?.addEventListener('abort', this.follow, { once: true });
  }

  /** The limit that ran out, once one has (not when the caller gave up). */
  get expired(): { ms: number; label: Label } | undefined {
    return this.expiry;
  }

  /**
   * Starts (or restarts) the clock: `ms` from now the signal aborts. `reason`
   * names what did not come (a TimeoutError `no <reason> within <ms> ms`), or
   * builds the abort reason itself, only if the time does run out.
   */
  arm(ms: number, label: Label, reason: string | (() => unknown)): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.expiry = { ms, label };
      this.controller.abort(typeof reason === 'string' ? new DOMException(`no ${reason} within ${ms} ms`, 'TimeoutError') : reason());
    }, ms);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Stops the clock and detaches from the caller; call it once the work is over. */
  dispose(): void {
    this.disarm();
    this.caller?.removeEventListener('abort', this.follow);
  }
}
