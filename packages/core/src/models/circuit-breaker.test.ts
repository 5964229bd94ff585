import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error.js';
import { OpenAIChatModel } from '../providers/openai/openai-chat-model.js';
import { OpenAIClient } from '../providers/openai/openai-client.js';
import {
  chatCompletionBody,
  chatStreamText,
  sendEventStream,
  sendJson,
  startFakeOpenAIServer,
  testSettings,
  type FakeOpenAIServer,
} from '../providers/openai/openai-fake-server.test-helper.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { withCircuitBreaker } from './circuit-breaker-generator.js';
import type { ModelMetadata } from './model-types.js';

const metadata: ModelMetadata = { provider: 'openai', model: 'm', ref: 'openai:m', task: 'text-generation', neural: true };
const PATH = '/chat/completions';

/** How the real endpoint behaves right now. */
type Mode = 'ok' | 'down' | 'slow';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A real HTTP endpoint whose behaviour the test switches, a real OpenAI client in front, a manual clock for the cooldown. */
async function setup(options: { failures: number; cooldownMs: number }) {
  let mode: Mode = 'ok';
  server = await startFakeOpenAIServer({
    [PATH]: async (request, res: ServerResponse) => {
      if (mode === 'down') return sendJson(res, 500, { error: { message: 'model crashed' } });
      if (mode === 'slow') await delay(2_000);
      if ((request.json as { stream?: boolean }).stream) return sendEventStream(res, chatStreamText(['fine', ' thanks']));
      return sendJson(res, 200, chatCompletionBody('fine'));
    },
  });
  let clock = 0;
  const model = new OpenAIChatModel(new OpenAIClient(testSettings(server.baseURL, { maxRetries: 0, timeoutMs: 150 })), metadata);
  const generator = withCircuitBreaker(model, options, () => clock);
  return {
    generator,
    fake: server,
    setMode: (m: Mode) => (mode = m),
    advance: (ms: number) => (clock += ms),
    calls: () => server!.count(PATH),
  };
}

const openErrorOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isFerryError(error)).toBe(true);
  return error as Error & { details: Record<string, unknown> };
};

describe('withCircuitBreaker around a real HTTP model endpoint', () => {
  it('passes calls while closed, and a success resets the failure count', async () => {
    const { generator, setMode, calls } = await setup({ failures: 2, cooldownMs: 1000 });
    expect((await generator.generate('hi')).text).toBe('fine');
    setMode('down');
    await expect(generator.generate('hi')).rejects.toThrow(/HTTP 500/);
    setMode('ok');
    await generator.generate('hi');
    setMode('down');
    await expect(generator.generate('hi')).rejects.toThrow(/HTTP 500/);
    expect(generator.breaker.state).toBe('closed');
    expect(calls()).toBe(4);
  });

  it('opens after N consecutive failures and then fails fast without touching the endpoint', async () => {
    const { generator, setMode, calls, advance } = await setup({ failures: 3, cooldownMs: 1000 });
    setMode('down');
    for (let i = 0; i < 3; i++) await expect(generator.generate('hi')).rejects.toThrow(/HTTP 500/);
    expect(generator.breaker.state).toBe('open');
    expect(calls()).toBe(3);
    advance(400);
    const error = await openErrorOf(generator.generate('hi'));
    expect(error.message).toContain('openai:m is not called: its circuit breaker opened after 3 consecutive failures; a trial call passes in 600 ms');
    expect(error.details).toMatchObject({ unavailable: 'openai:m', breaker: 'open', retryAfterMs: 600 });
    await expect(generator.generate('hi')).rejects.toThrow(/circuit breaker/);
    // Streams are refused the same way.
    await expect(async () => {
      for await (const _ of generator.stream('hi')) void _;
    }).rejects.toThrow(/circuit breaker/);
    expect(calls()).toBe(3);
  });

  it('lets one trial through after the cooldown: success closes it', async () => {
    const { generator, setMode, calls, advance } = await setup({ failures: 1, cooldownMs: 1000 });
    setMode('down');
    await expect(generator.generate('hi')).rejects.toThrow(/HTTP 500/);
    expect(generator.breaker.state).toBe('open');
    setMode('ok');
    advance(1000);
    expect(generator.breaker.state).toBe('half-open');
    // One trial at a time: a second call while the trial is in flight fails fast.
    const trial = generator.generate('hi');
    await expect(generator.generate('hi')).rejects.toThrow(/circuit breaker/);
    expect((await trial).text).toBe('fine');
    expect(generator.breaker.state).toBe('closed');
    await generator.generate('hi');
    expect(calls()).toBe(3);
  });

  it('opens again for a whole cooldown when the trial fails', async () => {
    const { generator, setMode, calls, advance } = await setup({ failures: 2, cooldownMs: 1000 });
    setMode('down');
    await expect(generator.generate('a')).rejects.toThrow();
    await expect(generator.generate('b')).rejects.toThrow();
    advance(1000);
    await expect(generator.generate('trial')).rejects.toThrow(/HTTP 500/);
    expect(generator.breaker.state).toBe('open');
    advance(999);
    await expect(generator.generate('c')).rejects.toThrow(/circuit breaker/);
    expect(calls()).toBe(3);
    setMode('ok');
    advance(1);
    expect((await generator.generate('d')).text).toBe('fine');
    expect(generator.breaker.state).toBe('closed');
  });

  it('counts a timed-out attempt as a failure but not a caller that gave up', async () => {
    const { generator, setMode } = await setup({ failures: 1, cooldownMs: 1000 });
    setMode('slow');
    const caller = new AbortController();
    const call = generator.generate('hi', { signal: caller.signal });
    await delay(20);
    caller.abort();
    await expect(call).rejects.toThrow();
    expect(generator.breaker.state).toBe('closed');
    await expect(generator.generate('hi')).rejects.toThrow(/did not answer within 150 ms/);
    expect(generator.breaker.state).toBe('open');
  });

  it('counts a deadline signal (AbortSignal.timeout) as a failure', async () => {
    const { generator, setMode } = await setup({ failures: 1, cooldownMs: 1000 });
    setMode('slow');
    await expect(generator.generate('hi', { signal: AbortSignal.timeout(30) })).rejects.toThrow();
    expect(generator.breaker.state).toBe('open');
  });

  it('counts a finished stream as a success, a broken one as a failure, and a consumer that stops early as neither', async () => {
    const { generator, setMode } = await setup({ failures: 1, cooldownMs: 1000 });
    let text = '';
    for await (const piece of generator.stream('hi')) text += piece;
    expect(text).toBe('fine thanks');
    for await (const _ of generator.stream('hi')) break;
    expect(generator.breaker.state).toBe('closed');
    setMode('down');
    await expect(async () => {
      for await (const _ of generator.stream('hi')) void _;
    }).rejects.toThrow(/HTTP 500/);
    expect(generator.breaker.state).toBe('open');
  });
});

describe('CircuitBreaker options', () => {
  it('refuses a breaker that could never close, naming the field', () => {
    let error: unknown;
    try {
      new CircuitBreaker('x', { failures: 0 });
    } catch (e) {
      error = e;
    }
    expect(isFerryError(error) && error.code).toBe('INPUT_INVALID');
    expect(isFerryError(error) && error.field).toBe('breaker.failures');
  });

  it('defaults to 5 failures and a 30 s cooldown', () => {
    const breaker = new CircuitBreaker('x');
    expect([breaker.failures, breaker.cooldownMs]).toEqual([5, 30_000]);
  });
});
