import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { financeSentimentFiles } from '../eval/finance-sentiment.js';
import { PromptEvalCommand } from './prompt-eval-command.js';

// oclif loads dist/commands.js from here: build with `npx tsc -b packages/plugin-prompt` first.
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('prompt eval command', () => {
  let out: string;
  let logged: string[];
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'ferry-prompt-eval-'));
    logged = [];
    vi.spyOn(PromptEvalCommand.prototype, 'log').mockImplementation((message?: string) => {
      logged.push(message ?? '');
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(out, { recursive: true, force: true });
  });

  it.skipIf(!financeSentimentFiles())('evaluates the shared finance data and writes eval.json and eval.svg', { timeout: 60_000 }, async () => {
    const config = await Config.load(packageDir);
    await PromptEvalCommand.run(['--limit', '200', '--out', out], config);
    const table = logged.join('\n');
    expect(table).toMatch(/centroid \(trained\)/);
    expect(table).toMatch(/keyword \(zero-shot\)/);
    expect(table).toMatch(/mmr-knn \(few-shot\)/);
    const json = JSON.parse(await readFile(join(out, 'eval.json'), 'utf8')) as { examples: number; labels: string[]; variants: Array<{ name: string; accuracy: number }> };
    expect(json.examples).toBe(200);
    expect(json.labels).toEqual(['Bearish', 'Bullish', 'Neutral']);
    expect(json.variants).toHaveLength(3);
    for (const v of json.variants) expect(v.accuracy).toBeGreaterThan(0.5);
    const svg = await readFile(join(out, 'eval.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('200 examples');
    expect(svg).toContain('mmr-knn (few-shot)');
  });

  it('takes any text,label CSVs with --data and --train', async () => {
    const rows = (pairs: Array<[string, string]>): string => `text,label\r\n${pairs.map(([t, l]) => `"${t}",${l}`).join('\r\n')}\r\n`;
    const train = join(out, 'train.csv');
    const data = join(out, 'data.csv');
    await writeFile(train, rows([['refund my card payment', 'billing'], ['card charged twice', 'billing'], ['app crashes on login', 'bug'], ['login button broken', 'bug']]));
    await writeFile(data, rows([['charged twice on my card', 'billing'], ['crashes at login', 'bug']]));
    const config = await Config.load(packageDir);
    await PromptEvalCommand.run(['--data', data, '--train', train, '--out', out], config);
    const json = JSON.parse(await readFile(join(out, 'eval.json'), 'utf8')) as { labels: string[]; variants: Array<{ name: string; accuracy: number }> };
    expect(json.labels).toEqual(['billing', 'bug']);
    // No lexicon for these labels, so no keyword variant.
    expect(json.variants.map((v) => v.name)).toEqual(['centroid (trained)', 'mmr-knn (few-shot)']);
    expect(json.variants[0]?.accuracy).toBe(1);
  });
});
