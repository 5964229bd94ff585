import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tensor } from '@ferry/core';
import { z } from 'zod';
import { readSafetensors, writeSafetensors } from '@ferry/llama';
import { finetuneError } from '../finetune-error.js';
import type { AdamWState } from './adamw-optimizer.js';
import type { EarlyStoppingState } from './early-stopping.js';
import { lrScheduleSchema, type LrSchedule } from './lr-schedule.js';
import type { TrainingHistory } from './training-history.js';

/** Where the data loader stands: the epoch, the next position in it and that epoch's shuffled order. */
export interface DataPosition {
  epoch: number;
  position: number;
  order: number[];
}

/** Everything a run needs to continue bit-identically. */
export interface TrainingCheckpoint {
  /** Optimizer steps completed. */
  step: number;
  params: Map<string, Tensor<'f32'>>;
  optimizer: AdamWState;
  rngState: number;
  schedule: LrSchedule;
  earlyStopping: EarlyStoppingState | null;
  data: DataPosition;
  history: TrainingHistory;
}

const stateSchema = z.object({
  format: z.literal('ferry-finetune-checkpoint/1'),
  step: z.number().int().min(0),
  optimizerStep: z.number().int().min(0),
  rngState: z.number().int().min(0),
  schedule: lrScheduleSchema,
  earlyStopping: z.object({ best: z.number().nullable(), bestStep: z.number().nullable(), badEvaluations: z.number().int() }).nullable(),
  data: z.object({ epoch: z.number().int().min(0), position: z.number().int().min(0), order: z.array(z.number().int().min(0)) }),
  history: z.object({
    train: z.array(z.object({ step: z.number(), loss: z.number(), lr: z.number(), gradNorm: z.number(), tokens: z.number() })),
    eval: z.array(z.object({ step: z.number(), loss: z.number(), metrics: z.record(z.string(), z.number()) })),
  }),
});

const FILE_PATTERN = /^checkpoint-(\d{8})\.safetensors$/;

export function checkpointFileName(step: number): string {
  return `checkpoint-${String(step).padStart(8, '0')}.safetensors`;
}

/**
 * One safetensors file per checkpoint (parameters and both Adam moments as
 * tensors, the rest as JSON in its metadata), written atomically, so a crash
 * leaves either the previous checkpoint or the new one. Keeps the newest `keepLast`.
 */
export async function saveCheckpoint(dir: string, checkpoint: TrainingCheckpoint, options: { keepLast?: number } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const tensors = new Map<string, Tensor>();
  for (const [name, tensor] of checkpoint.params) tensors.set(`param/${name}`, tensor);
  for (const [name, tensor] of checkpoint.optimizer.m) tensors.set(`adam_m/${name}`, tensor);
  for (const [name, tensor] of checkpoint.optimizer.v) tensors.set(`adam_v/${name}`, tensor);
  const state: z.input<typeof stateSchema> = {
    format: 'ferry-finetune-checkpoint/1',
    step: checkpoint.step,
    optimizerStep: checkpoint.optimizer.step,
    rngState: checkpoint.rngState,
    schedule: checkpoint.schedule,
    earlyStopping: checkpoint.earlyStopping,
    data: checkpoint.data,
    history: checkpoint.history,
  };
  const path = join(dir, checkpointFileName(checkpoint.step));
  await writeSafetensors(path, tensors, { ferry_checkpoint: JSON.stringify(state) });
  const keepLast = options.keepLast ?? 2;
  const older = (await listCheckpoints(dir)).slice(0, -keepLast);
  for (const old of older) await rm(join(dir, old), { force: true });
  return path;
}

export async function loadCheckpoint(path: string): Promise<TrainingCheckpoint> {
  const file = await readSafetensors(path);
  let raw: unknown;
  try {
    raw = JSON.parse(file.metadata.ferry_checkpoint ?? 'null');
  } catch {
    raw = null;
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    throw finetuneError(path, `${path} is not a Ferry fine-tuning checkpoint (its metadata.ferry_checkpoint is missing or malformed)`, 'Resume from a file that saveCheckpoint wrote, or start the run afresh.');
  }
  const pick = (prefix: string): Map<string, Tensor<'f32'>> =>
    new Map([...file.tensors].filter(([name]) => name.startsWith(prefix)).map(([name, t]) => [name.slice(prefix.length), t as Tensor<'f32'>]));
  const s = parsed.data;
  return {
    step: s.step,
    params: pick('param/'),
    optimizer: { step: s.optimizerStep, m: pick('adam_m/'), v: pick('adam_v/') },
    rngState: s.rngState,
    schedule: s.schedule,
    earlyStopping: s.earlyStopping,
    data: s.data,
    history: s.history,
  };
}

/** The newest checkpoint in `dir`, or undefined when there is none (or no folder). */
export async function findLatestCheckpoint(dir: string): Promise<string | undefined> {
  const names = await listCheckpoints(dir);
  const last = names[names.length - 1];
  return last === undefined ? undefined : join(dir, last);
}

async function listCheckpoints(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => FILE_PATTERN.test(name)).sort();
}
