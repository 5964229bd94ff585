import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createOpenAIProvider, isFerryError, withCircuitBreaker, type TextGenerator } from '@ferry/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestKnowledgeBase, type TestKnowledgeBase } from '../retrieval/corpus.test-helper.js';
import { HybridRetriever } from '../retrieval/hybrid-retriever.js';
import type { AnswerEvent } from './answer-types.js';
import { createAnswerer, type AnswererOptions } from './answerer.js';

const QUESTION = 'How many days per week may employees work remotely?';

// A real OpenAI-compatible endpoint whose behaviour each test sets: answering, crashed (500) or hanging.
let mode: 'ok' | 'down' | 'slow' = 'ok';
let calls = 0;
let endpoint: Server;
let baseURL: string;
let kb: TestKnowledgeBase;

beforeAll(async () => {
  endpoint = createServer(async (req, res) => {
    for await (const _ of req) void _;
    calls += 1;
    if (mode === 'down') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"model worker crashed"}}');
    if (mode === 'slow') await delay(3_000);
    if (res.destroyed) return;
    const body = { id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Up to three days a week [1].' }, finish_reason: 'stop' }] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`;
  kb = await openTestKnowledgeBase();
});

afterAll(async () => {
  endpoint.closeAllConnections();
  await new Promise((resolve) => endpoint.close(resolve));
  await kb.close();
});

beforeEach(() => {
  mode = 'ok';
  calls = 0;
});

async function model(): Promise<TextGenerator> {
  return createOpenAIProvider({ baseURL, maxRetries: 1, retryBaseDelayMs: 1, timeoutMs: 5_000 }).create('text-generation', 'test-model');
}

async function answererWith(generator: TextGenerator, options: Partial<AnswererOptions> = {}) {
  const degraded: string[] = [];
  const answerer = await createAnswerer({
    retriever: new HybridRetriever({ vector: kb.vector, keyword: kb.bm25 }),
    generator,
    usePromptPlugin: false,
    onDegraded: ({ reason }) => degraded.push(reason),
    ...options,
  });
  return { answerer, degraded };
}

describe('answer fallback when the generator fails', () => {
  it('uses the model while it answers', async () => {
    const { answerer, degraded } = await answererWith(await model(), { fallback: 'extractive' });
    const answer = await answerer.ask(QUESTION);
    expect(answer.text).toBe('Up to three days a week [1].');
    expect(answer.degraded).toBeUndefined();
    expect(answer.model?.ref).toBe('openai:test-model');
    expect(degraded).toEqual([]);
  });

  it('answers extractively from the same passages, marked degraded, when the endpoint is down (after its retry)', async () => {
    mode = 'down';
    const { answerer, degraded } = await answererWith(await model(), { fallback: 'extractive' });
    const answer = await answerer.ask(QUESTION);
    expect(calls).toBe(2);
    expect(answer.answered).toBe(true);
    expect(answer.text).toContain('three days per week');
    expect(answer.sources[0]?.source).toBe('handbook.md');
    expect(answer.model?.ref).toBe('offline:extractive');
    expect(answer.degraded?.reason).toMatch(/answered HTTP 500 Internal Server Error after 2 attempts: model worker crashed/);
    expect(degraded).toEqual([answer.degraded?.reason]);
  });

  it('gives up on a slow endpoint at generatorTimeoutMs and falls back', async () => {
    mode = 'slow';
    const { answerer } = await answererWith(await model(), { fallback: 'extractive', generatorTimeoutMs: 200 });
    const answer = await answerer.ask(QUESTION);
    expect(answer.degraded?.reason).toContain('openai:test-model did not finish its answer within generatorTimeoutMs (200 ms)');
    expect(answer.text).toContain('three days per week');
  });

  it("throws the failure with fallback 'error' (the default)", async () => {
    mode = 'slow';
    const { answerer, degraded } = await answererWith(await model(), { generatorTimeoutMs: 200 });
    const error = await answerer.ask(QUESTION).catch((e: unknown) => e);
    expect(isFerryError(error) && error.code).toBe('PROVIDER_TIMEOUT');
    expect(isFerryError(error) && error.field).toBe('answer.generatorTimeoutMs');
    expect(degraded).toEqual([]);
  });

  it('does not fall back for a caller that gave up', async () => {
    mode = 'slow';
    const { answerer, degraded } = await answererWith(await model(), { fallback: 'extractive' });
    const caller = new AbortController();
    const pending = answerer.ask(QUESTION, { signal: caller.signal });
    setTimeout(() => caller.abort(), 100);
    await expect(pending).rejects.toThrow();
    expect(degraded).toEqual([]);
  });

  it('falls back at once, without calling the endpoint, while the circuit breaker is open', async () => {
    mode = 'down';
    const generator = withCircuitBreaker(await model(), { failures: 2, cooldownMs: 60_000 });
    const { answerer } = await answererWith(generator, { fallback: 'extractive' });
    await answerer.ask(QUESTION);
    await answerer.ask(QUESTION);
    expect(generator.breaker.state).toBe('open');
    expect(calls).toBe(4);
    const answer = await answerer.ask(QUESTION);
    expect(calls).toBe(4);
    expect(answer.degraded?.reason).toContain('openai:test-model is not called: its circuit breaker opened after 2 consecutive failures');
    expect(answer.text).toContain('three days per week');
  });

  it('falls back in a stream that failed before its first piece', async () => {
    mode = 'down';
    const { answerer } = await answererWith(await model(), { fallback: 'extractive' });
    const events: AnswerEvent[] = [];
    for await (const event of answerer.stream(QUESTION)) events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe('answer');
    if (last?.type !== 'answer') return;
    expect(last.answer.degraded?.reason).toContain('HTTP 500');
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('')).toBe(last.answer.text);
  });
});
