import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, type RunnableCommand } from '@ferry/core/testing';
import { Config } from '@oclif/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands.js';
import { FinetuneExportCommand } from './finetune-export-command.js';
import { FinetuneTrainCommand } from './finetune-train-command.js';

// Config.load reads package.json's oclif section, which points at the built dist/commands.js (tsc -b first).
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TINY_LLAMA = fileURLToPath(new URL('../../../../fixtures/llama/tiny-llama', import.meta.url));
let config: Config;
let dir: string;

beforeAll(async () => {
  config = await Config.load(PACKAGE_ROOT);
  dir = await mkdtemp(join(tmpdir(), 'ferry-finetune-cmd-'));
  await writeFile(join(dir, 'train.csv'), 'text,label\nthe ferry leaves,1\nno crossing today,0\ntickets on board,1\nstorm at the dock,0\n');
  await writeFile(
    join(dir, 'run.json'),
    JSON.stringify({
      model: TINY_LLAMA,
      lora: { r: 2, alpha: 4, targetModules: ['q_proj', 'v_proj'] },
      data: { train: 'train.csv', validation: 'train.csv', labelMap: { '0': 'late', '1': 'ok' }, maxLength: 32 },
      prompt: { kind: 'instruction', instruction: 'On time?', template: '{input} =>' },
      training: { batchSize: 2, schedule: { lr: 1e-2, totalSteps: 2 }, checkpointEvery: 1 },
      outputDir: 'out',
    }),
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const run = async (command: RunnableCommand<Config>, argv: string[]) => (await runCommand(command, argv, config)).stdout;

describe('ferry finetune', () => {
  it('registers train, eval, merge and export', () => {
    expect(Object.keys(COMMANDS)).toEqual(['finetune:train', 'finetune:eval', 'finetune:merge', 'finetune:export']);
    for (const id of Object.keys(COMMANDS)) expect(config.findCommand(id)).toBeDefined();
  });

  it('train runs a config file; export writes a checkpoint as an adapter', async () => {
    const out = await run(FinetuneTrainCommand, ['--config', join(dir, 'run.json')]);
    expect(out).toContain('weighted avg');
    expect(out).toMatch(/adapter: .*out\/adapter/);
    await run(FinetuneExportCommand, ['--config', join(dir, 'run.json'), '--out', join(dir, 'exported')]);
    expect((await readdir(join(dir, 'exported'))).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
  });

  it('a bad config names the field', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ model: TINY_LLAMA, mode: 'lora', data: { train: 'x.csv' }, prompt: { kind: 'instruction', instruction: 'x' }, training: { batchSize: 1, schedule: { lr: 1, totalSteps: 1 } }, outputDir: 'o' }));
    await expect(run(FinetuneTrainCommand, ['--config', join(dir, 'bad.json')])).rejects.toMatchObject({ field: 'lora' });
  });
});
