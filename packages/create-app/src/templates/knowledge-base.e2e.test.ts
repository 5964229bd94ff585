import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApp } from '../create-app.js';
import { addPlugin } from '../edit/add-to-app.js';
import { inApp, scaffold, startApp, type RunningApp } from './generated-app.test-helper.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

describe('knowledge-base template, scaffolded and run', () => {
  let app: CreatedApp;
  let running: RunningApp | undefined;

  beforeAll(async () => {
    app = await scaffold('knowledge-base');
    await inApp(app, 'tsc', ['-p', 'tsconfig.build.json']);
    const ingest = await inApp(app, 'node', ['dist/ingest.js']);
    expect(ingest).toMatch(/ingested: 4 added/);
    running = await startApp(app);
  }, 180_000);

  afterAll(async () => {
    if (running) expect(await running.stop()).toBe(0);
  });

  it('type-checks and passes its own tests', async () => {
    await inApp(app, 'tsc', ['--noEmit']);
    expect(await inApp(app, 'vitest', ['run'])).toMatch(/7 passed/);
  }, 120_000);

  it('takes `ferry add plugin` as a one-line config change, still type-checks, and a second run is a no-op', async () => {
    const config = join(app.dir, 'src/ferry.config.ts');
    const before = await readFile(config, 'utf8');
    expect(await addPlugin(app.dir, '@ferry/plugin-multimodal')).toEqual({ changed: ['src/ferry.config.ts', 'package.json'] });
    const after = await readFile(config, 'utf8');
    expect(after).toBe(before.replace("    { use: '@ferry/plugin-rag', config: rag },\n", "    { use: '@ferry/plugin-rag', config: rag },\n    '@ferry/plugin-multimodal',\n"));
    await inApp(app, 'tsc', ['--noEmit']);
    expect(await addPlugin(app.dir, '@ferry/plugin-multimodal')).toEqual({ changed: [] });
    expect(await readFile(config, 'utf8')).toBe(after);
  }, 120_000);

  it('answers over HTTP with a source, and does not know what the documents do not say', async () => {
    const ask = (question: string) =>
      fetch(`${running?.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) }).then((r) => r.json());
    const answer = (await ask('How long do I have to request a refund?')) as { answered: boolean; answer: string; sources: Array<{ source: string }> };
    expect(answer.answered).toBe(true);
    expect(answer.answer).toContain('30 days');
    expect(answer.sources[0]?.source).toBe('refund-policy.md');
    expect(((await ask('Who won the 1998 World Cup?')) as { answered: boolean }).answered).toBe(false);
  });

  it('serves the official openai client: chat, streamed chat and embeddings', async () => {
    const client = new OpenAI({ baseURL: `${running?.url}/v1`, apiKey: 'not-needed-locally' });
    const question = 'How much may a checked bag weigh?';
    const documents = [{ id: 'baggage', text: 'A checked bag may weigh up to 23 kg.' }];
    const chat = await client.chat.completions.create({ model: 'generator', messages: [{ role: 'user', content: question }], documents } as never);
    expect(chat.choices[0]?.message.content).toContain('23 kg');
    const stream = await client.chat.completions.create({ model: 'generator', messages: [{ role: 'user', content: question }], documents, stream: true } as never);
    let streamed = '';
    for await (const chunk of stream as unknown as AsyncIterable<{ choices: Array<{ delta: { content?: string } }> }>) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(chat.choices[0]?.message.content);
    const embeddings = await client.embeddings.create({ model: 'embedder', input: ['refund', 'baggage'] });
    expect(embeddings.data).toHaveLength(2);
    expect(embeddings.data[0]?.embedding).toHaveLength(384);
  });

  it.skipIf(!CHROMIUM)('the chat page asks, shows the answer and opens its source (headless Chromium)', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${running?.url}/`);
      await page.fill('#question', 'How much may a checked bag weigh?');
      await page.click('#ask');
      const link = page.locator('#sources a.source').first();
      await link.waitFor({ timeout: 15_000 });
      expect(await page.textContent('#answer')).toContain('23 kg');
      expect(await link.textContent()).toContain('baggage.md');
      const [source] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await source.waitForLoadState();
      expect(await source.textContent('body')).toContain('Checked bags can be added');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
