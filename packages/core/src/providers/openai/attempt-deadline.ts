/** Which configured limit a timed-out attempt ran into, for the error message. */
export type TimeoutSetting = 'timeoutMs' | 'streamIdleTimeoutMs';

/**
 * The abort signal of one HTTP attempt: it fires when the caller's signal
 * does or when the current time limit runs out. A stream re-arms the limit
 * before each read and disarms it after, so a consumer that is slow between
 * chunks is not mistaken for a stalled server.
 */
export class AttemptDeadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private expiry: { ms: number; setting: TimeoutSetting } | undefined;

  constructor(ms: number, setting: TimeoutSetting, callerSignal: AbortSignal | undefined) {
    this.signal = callerSignal ? AbortSignal.any([callerSignal, this.controller.signal]) : this.controller.signal;
    this.arm(ms, setting);
  }

  /** The limit that ran out, once one has. */
  get expired(): { ms: number; setting: TimeoutSetting } | undefined {
    return this.expiry;
  }

  arm(ms: number, setting: TimeoutSetting): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.expiry = { ms, setting };
      this.controller.abort(new DOMException(`no response within ${ms} ms`, 'TimeoutError'));
    }, ms);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
