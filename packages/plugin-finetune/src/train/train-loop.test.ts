import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKernelRegistry, Tensor } from '@ferry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { writeLossCurve } from './loss-curve.js';
import { renderTrainingProgress, type TrainingEvent } from './training-events.js';
import { TrainingRng } from './training-rng.js';
import { trainLoop, type BatchSource, type TrainableObjective, type TrainingOptionsInput } from './train-loop.js';

const kernels = createKernelRegistry().ops;
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Linear regression y = x . w* with 32 points; each micro-batch draws rng noise (like dropout), so the RNG state matters. */
function toyProblem(options: { failAtStep?: number } = {}): { objective: TrainableObjective<number[]>; data: BatchSource<number[]>; w: Tensor<'f32'> } {
  const truth = [0.5, -1, 2, 0.25];
  const gen = new TrainingRng(99);
  const xs = Array.from({ length: 32 }, () => truth.map(() => gen.uniform(-1, 1)));
  const ys = xs.map((x) => x.reduce((s, v, i) => s + v * truth[i]!, 0));
  const w = Tensor.zeros([4], 'f32');
  const objective: TrainableObjective<number[]> = {
    params: new Map([['w', w]]),
    async lossAndGrads(batch, { rng, step }) {
      if (step === options.failAtStep) throw new Error('simulated crash');
      const grad = Tensor.zeros([4], 'f32');
      let loss = 0;
      for (const index of batch) {
        const x = xs[index]!;
        const noise = (rng.next() - 0.5) * 0.01;
        const err = x.reduce((s, v, i) => s + v * w.data[i]!, 0) + noise - ys[index]!;
        loss += err * err;
        x.forEach((v, i) => (grad.data[i]! += (2 * err * v) / batch.length));
      }
      return { loss: loss / batch.length, tokens: batch.length, grads: new Map([['w', grad]]) };
    },
    async evaluate() {
      const loss = xs.reduce((s, x, k) => s + (x.reduce((t, v, i) => t + v * w.data[i]!, 0) - ys[k]!) ** 2, 0) / xs.length;
      return { loss, metrics: { negLoss: -loss } };
    },
  };
  return { objective, data: { size: xs.length, batch: (indices) => [...indices] }, w };
}

const base = (dir: string): TrainingOptionsInput => ({
  seed: 5,
  batchSize: 5,
  gradientAccumulationSteps: 2,
  maxGradNorm: 1,
  schedule: { kind: 'cosine', lr: 0.2, totalSteps: 30, warmupRatio: 0.1 },
  optimizer: { weightDecay: 0.01 },
  evalEvery: 4,
  checkpointDir: dir,
  checkpointEvery: 5,
});

describe('trainLoop', () => {
  it('fits the toy objective and resumes after a crash bit-identically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-ft-'));
    dirs.push(dir);
    const straight = toyProblem();
    const full = await trainLoop(kernels, straight.objective, straight.data, { ...base(join(dir, 'a')) });
    expect(full.steps).toBe(30);
    expect(full.history.eval.map((e) => e.step)).toEqual([4, 8, 12, 16, 20, 24, 28, 30]);
    expect(full.history.eval[7]!.loss).toBeLessThan(full.history.eval[0]!.loss / 10);

    const crashing = toyProblem({ failAtStep: 7 });
    await expect(trainLoop(kernels, crashing.objective, crashing.data, base(join(dir, 'b')))).rejects.toThrow('simulated crash');
    expect(await readdir(join(dir, 'b'))).toEqual(['checkpoint-00000005.safetensors']);

    const resumed = toyProblem();
    const result = await trainLoop(kernels, resumed.objective, resumed.data, { ...base(join(dir, 'b')), resume: true });
    expect(result.resumedFrom).toBe(5);
    expect(Buffer.from(resumed.w.data.buffer).equals(Buffer.from(straight.w.data.buffer))).toBe(true);
    expect(result.history).toEqual(full.history);
    expect((await readdir(join(dir, 'b'))).sort()).toEqual(['checkpoint-00000025.safetensors', 'checkpoint-00000030.safetensors']);
  });

  it('stops early on the watched metric and refuses a checkpoint of another schedule', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-ft-'));
    dirs.push(dir);
    const toy = toyProblem();
    const result = await trainLoop(kernels, toy.objective, toy.data, {
      ...base(dir),
      schedule: { kind: 'constant', lr: 0.5, totalSteps: 200 },
      evalEvery: 1,
      earlyStopping: { metric: 'negLoss', mode: 'max', patience: 2, minDelta: 0.05 },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.steps).toBeLessThan(200);
    const other = toyProblem();
    await expect(trainLoop(kernels, other.objective, other.data, { ...base(dir), resume: true })).rejects.toMatchObject({ field: 'schedule' });
  });

  it('emits JSON progress lines with loss, lr and tokens/s off a TTY, and draws the loss curve', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-ft-'));
    dirs.push(dir);
    const lines: string[] = [];
    const render = renderTrainingProgress({ isTTY: false, write: (chunk: string) => lines.push(chunk) });
    const events: TrainingEvent[] = [];
    const toy = toyProblem();
    const { checkpointDir: _unused, checkpointEvery: _unused2, ...options } = base(dir);
    const result = await trainLoop(kernels, toy.objective, toy.data, options, { onEvent: (e) => (events.push(e), render(e)) });
    const progress = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === 'progress');
    expect(progress).toHaveLength(30);
    expect(progress[0]).toMatchObject({ pipeline: 'finetune', current: 1, total: 30, lr: 0 });
    expect(typeof progress[3]!.loss).toBe('number');
    expect(typeof progress[3]!.tokensPerSecond).toBe('number');
    expect(progress[3]!.evalLoss).toBeTypeOf('number');
    expect(events[events.length - 1]!.type).toBe('end');

    const tty: string[] = [];
    const bar = renderTrainingProgress({ isTTY: true, write: (chunk: string) => tty.push(chunk) });
    events.forEach(bar);
    expect(tty.join('')).toMatch(/\[#+-*\] 6\/30 loss \d\.\d{4} · lr \d\.\d{2}e-\d · \d+ tok\/s/);

    const svgPath = join(dir, 'loss.svg');
    await writeLossCurve(svgPath, result.history);
    const svg = await readFile(svgPath, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('train loss');
    expect(svg).toContain('eval loss');
    expect(svg.match(/<path /g)).toHaveLength(2);
  });
});
