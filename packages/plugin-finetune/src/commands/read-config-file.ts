import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseFinetuneConfig, type FinetuneConfig } from '../finetune-config.js';
import { finetuneError } from '../finetune-error.js';

/** A JSON run config, validated by finetuneConfigSchema; relative paths in it are relative to its folder. */
export async function readFinetuneConfigFile(path: string): Promise<{ config: FinetuneConfig; baseDir: string }> {
  const file = resolve(path);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw finetuneError('config', `cannot read ${file}: ${(error as Error).message}`, 'Give a JSON file with model, mode, lora, data, prompt, training and outputDir.', { code: 'CONFIG_INVALID', cause: error });
  }
  return { config: parseFinetuneConfig(raw, file), baseDir: dirname(file) };
}
