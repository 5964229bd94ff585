import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKernelRegistry } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPeftAdapter } from '../adapter/peft-adapter.js';
import { parseFinetuneConfig, type FinetuneConfigInput } from '../finetune-config.js';
import { evaluateFinetune, exportCheckpointAdapter, mergeAdapterIntoModel, runFinetune } from './run-finetune.js';

const TINY_LLAMA = fileURLToPath(new URL('../../../../fixtures/llama/tiny-llama', import.meta.url));
let dir: string;

const ROWS = [
  ['the ferry leaves the north dock', 1],
  ['tickets are sold on board', 1],
  ['children travel free', 1],
  ['the captain checks the weather', 1],
  ['storm closes the south dock', 0],
  ['the crew ties the ropes late', 0],
  ['no crossing today', 0],
  ['cars wait at the river', 0],
] as const;

function config(overrides: Partial<FinetuneConfigInput> = {}): FinetuneConfigInput {
  return {
    model: `llama:${TINY_LLAMA}`,
    mode: 'lora',
    lora: { r: 4, alpha: 8, targetModules: ['q', 'v'] },
    data: { train: 'train.csv', validation: 'valid.csv', labelMap: { '0': 'late', '1': 'ok' }, maxLength: 48 },
    prompt: { kind: 'instruction', instruction: 'Is the ferry on time?', template: '{input} =>' },
    training: { batchSize: 2, seed: 3, schedule: { lr: 1e-2, totalSteps: 4 }, checkpointEvery: 2, evalEvery: 4 },
    outputDir: 'out',
    eval: { reviewSampleSize: 2 },
    ...overrides,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-finetune-run-'));
  const csv = (rows: readonly (readonly [string, number])[]) => `text,label\n${rows.map(([t, l]) => `${t},${l}`).join('\n')}\n`;
  await writeFile(join(dir, 'train.csv'), csv(ROWS));
  await writeFile(join(dir, 'valid.csv'), csv(ROWS.slice(2, 6)));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('runFinetune and friends on the tiny Llama', () => {
  it('trains LoRA from a config, writes adapter, checkpoints, loss curve and evaluation; eval, export and merge reuse them', async () => {
    const kernels = createKernelRegistry();
    const parsed = parseFinetuneConfig(config());
    const events: string[] = [];
    const result = await runFinetune(parsed, { baseDir: dir, kernels, onEvent: (e) => events.push(e.type) });
    expect(result.training.steps).toBe(4);
    expect(result.training.history.eval).toHaveLength(1);
    expect(result.evaluation.report.total).toBe(4);
    expect(events).toContain('progress');
    const adapter = await readPeftAdapter(result.output);
    expect(adapter.weights).toHaveLength(4);
    expect(await readdir(join(dir, 'out'))).toEqual(expect.arrayContaining(['adapter', 'checkpoints', 'eval', 'loss-curve.svg']));
    expect(await readFile(join(dir, 'out', 'eval', 'report.txt'), 'utf8')).toContain('weighted avg');

    // eval with the adapter reproduces the run's final numbers.
    const again = await evaluateFinetune(parsed, { baseDir: dir, adapter: result.output, outDir: join(dir, 'eval2'), kernels });
    expect(again.report.accuracy).toBe(result.evaluation.report.accuracy);
    expect(again.loss).toBeCloseTo(result.evaluation.loss, 6);

    // The last checkpoint (step 4) exports the same factors as the final adapter.
    const exported = await exportCheckpointAdapter(parsed, { baseDir: dir, outDir: 'exported' });
    expect(exported.step).toBe(4);
    const fromCheckpoint = await readPeftAdapter(join(dir, 'exported'));
    expect(fromCheckpoint.weights.map((w) => [...w.b.data])).toEqual(adapter.weights.map((w) => [...w.b.data]));

    const merged = await mergeAdapterIntoModel(parsed, { baseDir: dir, adapter: result.output, outDir: 'merged' });
    const viaMerged = await evaluateFinetune(parseFinetuneConfig(config({ model: merged })), { baseDir: dir, outDir: join(dir, 'eval3'), kernels });
    expect(viaMerged.report.accuracy).toBe(result.evaluation.report.accuracy);
    expect(Math.abs(viaMerged.loss - result.evaluation.loss)).toBeLessThan(1e-4);
  });

  it('refuses packing and names the field', async () => {
    const parsed = parseFinetuneConfig(config({ data: { ...config().data, packing: true } }));
    await expect(runFinetune(parsed, { baseDir: dir, kernels: createKernelRegistry() })).rejects.toMatchObject({ field: 'data.packing' });
  });
});
