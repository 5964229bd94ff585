import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryableStatus, parseRetryAfter, sleep } from './retry-policy.js';

const headers = (entries: Record<string, string>): Headers => new Headers(entries);

describe('isRetryableStatus', () => {
  it('retries rate limits and server errors, not other client errors', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 408, 413, 422].some(isRetryableStatus)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads seconds, fractional seconds, HTTP-dates and retry-after-ms', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(headers({ 'retry-after': '0.25' }), now)).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(3000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '120', 'retry-after': '9' }), now)).toBe(120);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(headers({}), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': '-1' }), now)).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  const settings = { retryBaseDelayMs: 500, maxRetryDelayMs: 20_000 };

  it('doubles each retry, jitters half of the wait, and stays under the cap', () => {
    expect(backoffDelayMs(1, settings, () => 0)).toBe(500);
    expect(backoffDelayMs(1, settings, () => 1)).toBe(250);
    expect(backoffDelayMs(3, settings, () => 0)).toBe(2000);
    expect(backoffDelayMs(20, settings, () => 0)).toBe(20_000);
  });
});

describe('sleep', () => {
  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 10);
    await expect(sleep(10_000, controller.signal)).rejects.toBe(reason);
  });
});
