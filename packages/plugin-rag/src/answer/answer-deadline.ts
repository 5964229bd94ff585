/**
 * The signal of one answer-model call: it aborts when the caller's signal
 * does or when `ms` run out, whichever is first. `dispose()` stops the clock
 * and detaches from the caller once the call is over. (`AbortSignal.timeout`
 * plus `AbortSignal.any` left a 30 s timer and weak references behind for
 * every answer: tens of thousands alive under load, all garbage-collector work.)
 */
export class AnswerDeadline {
  readonly signal: AbortSignal | undefined;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private expired = false;
  private readonly follow = (): void => this.controller.abort(this.caller?.reason);

  constructor(
    ms: number | undefined,
    private readonly caller: AbortSignal | undefined,
  ) {
    if (ms === undefined) {
      this.signal = caller;
      return;
    }
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
    }, ms);
    if (caller?.aborted) this.follow();
    else caller?.addEventListener('abort', this.follow, { once: true });
  }

  /** True once the time ran out (not when the caller gave up). */
  get timedOut(): boolean {
    return this.expired;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.follow);
  }
}
