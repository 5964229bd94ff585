import { createKernelRegistry, Tensor } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { AdamWOptimizer } from './adamw-optimizer.js';
import { EarlyStopping } from './early-stopping.js';
import { clipGradNorm } from './grad-clip.js';
import { GradientAccumulator } from './gradient-accumulator.js';

describe('clipGradNorm', () => {
  it('scales every gradient by maxNorm / (norm + 1e-6) when the global norm is above maxNorm', () => {
    const a = Tensor.from([3, 0]);
    const b = Tensor.from([0, 4]);
    expect(clipGradNorm([a, b], 1)).toBe(5);
    expect(a.data[0]).toBeCloseTo(0.6, 6);
    expect(b.data[1]).toBeCloseTo(0.8, 6);
    const c = Tensor.from([0.3, 0.4]);
    expect(clipGradNorm([c], 1)).toBeCloseTo(0.5, 7);
    expect([...c.data]).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
});

describe('GradientAccumulator', () => {
  it('averages the gradients of its micro-batches', () => {
    const acc = new GradientAccumulator(2);
    acc.add(new Map([['w', Tensor.from([1, 2])]]));
    expect(acc.ready).toBe(false);
    acc.add(new Map([['w', Tensor.from([3, 6])]]));
    expect(acc.ready).toBe(true);
    expect([...acc.take().get('w')!.data]).toEqual([2, 4]);
    expect(acc.ready).toBe(false);
    expect(() => new GradientAccumulator(0)).toThrow(/positive integer/);
  });
});

describe('AdamWOptimizer', () => {
  it('applies torch.optim.AdamW arithmetic through the kernel, with decoupled weight decay', async () => {
    const w = Tensor.from([1, -2]);
    const opt = new AdamWOptimizer(createKernelRegistry().ops, new Map([['w', w]]), { weightDecay: 0.1 });
    await opt.update(new Map([['w', Tensor.from([0.5, -0.5])]]), 0.01);
    // Step 1: m_hat = g, v_hat = g^2, update = lr * sign(g) (up to eps); decay multiplies by 1 - lr * wd first.
    expect(w.data[0]).toBeCloseTo(1 * (1 - 0.001) - 0.01, 6);
    expect(w.data[1]).toBeCloseTo(-2 * (1 - 0.001) + 0.01, 6);
    expect(opt.step).toBe(1);
    const copy = new AdamWOptimizer(createKernelRegistry().ops, new Map([['w', Tensor.from([...w.data])]]), { weightDecay: 0.1 });
    copy.setState(opt.getState());
    expect(copy.step).toBe(1);
    expect([...copy.getState().m.get('w')!.data]).toEqual([...opt.getState().m.get('w')!.data]);
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` evaluations without improvement beyond minDelta', () => {
    const stopper = new EarlyStopping({ metric: 'weightedF1', mode: 'max', patience: 2, minDelta: 0.01 });
    expect(stopper.update(0.5, 10)).toEqual({ improved: true, stop: false });
    expect(stopper.update(0.505, 20)).toEqual({ improved: false, stop: false });
    expect(stopper.update(0.6, 30)).toEqual({ improved: true, stop: false });
    expect(stopper.update(0.59, 40).stop).toBe(false);
    expect(stopper.update(0.6, 50).stop).toBe(true);
    expect(stopper.getState()).toEqual({ best: 0.6, bestStep: 30, badEvaluations: 2 });
  });
});
