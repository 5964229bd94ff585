import { setTimeout as delay } from 'node:timers/promises';
import { backoffDelay } from '../../pipeline/retry-middleware.js';

export interface RetrySettings {
  /** First backoff wait; doubles each retry. */
  retryBaseDelayMs: number;
  /** Longest wait between attempts, whether from backoff or from `Retry-After`. */
  maxRetryDelayMs: number;
}

/**
 * 429 (rate limit) and 5xx (overload, model still loading, crash) can pass;
 * any other 4xx means the request itself is wrong and would fail again.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

const SECONDS = /^\s*\d+(\.\d+)?\s*$/;

/**
 * The wait a server asks for, in ms: `retry-after-ms` (OpenAI, Azure) or
 * `Retry-After` as seconds or an HTTP-date. Fractional seconds are accepted
 * because some gateways send them, though RFC 9110 says integers.
 */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && SECONDS.test(ms)) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (SECONDS.test(value)) return Number(value) * 1000;
  // An HTTP-date names its day and month; Date.parse alone would read "-1" as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Wait before retry number `retry` (1-based): exponential, half of it jittered, capped. */
export function backoffDelayMs(retry: number, settings: RetrySettings, random: () => number = Math.random): number {
  return backoffDelay(retry, { baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: settings.maxRetryDelayMs, jitter: 0.5, random });
}

/** Sleeps, or rejects with the signal's own reason as soon as it aborts. */
export async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  }
}
