import { describe, expect, it } from 'vitest';
import { learningRateAt, parseLrSchedule, warmupSteps } from './lr-schedule.js';

describe('learningRateAt', () => {
  // Values of transformers' schedules (torch LambdaLR, lr 2e-4, 100 steps, warmup_ratio 0.1 -> ceil(10) steps).
  const linear = parseLrSchedule({ kind: 'linear', lr: 2e-4, totalSteps: 100, warmupRatio: 0.1 });
  const cosine = parseLrSchedule({ kind: 'cosine', lr: 2e-4, totalSteps: 100, warmupRatio: 0.1 });

  it('warms up linearly from 0 over ceil(ratio * total) steps', () => {
    expect(warmupSteps(linear)).toBe(10);
    expect(warmupSteps(parseLrSchedule({ lr: 1, totalSteps: 95, warmupRatio: 0.03 }))).toBe(3);
    expect(learningRateAt(linear, 0)).toBe(0);
    expect(learningRateAt(linear, 5)).toBeCloseTo(1e-4, 15);
    expect(learningRateAt(cosine, 9)).toBeCloseTo(1.8e-4, 15);
  });

  it('get_linear_schedule_with_warmup: decays to 0 at the last step', () => {
    expect(learningRateAt(linear, 10)).toBeCloseTo(2e-4, 15);
    expect(learningRateAt(linear, 55)).toBeCloseTo(1e-4, 15);
    expect(learningRateAt(linear, 99)).toBeCloseTo(2e-4 / 90, 15);
    expect(learningRateAt(linear, 100)).toBe(0);
  });

  it('get_cosine_schedule_with_warmup: half a cosine', () => {
    expect(learningRateAt(cosine, 10)).toBeCloseTo(2e-4, 15);
    expect(learningRateAt(cosine, 32.5)).toBeCloseTo(2e-4 * 0.5 * (1 + Math.cos(Math.PI / 4)), 15);
    expect(learningRateAt(cosine, 55)).toBeCloseTo(1e-4, 15);
    // 1e-4 * (1 + cos(pi * 89 / 90)) = 6.0917e-8
    expect(learningRateAt(cosine, 99)).toBeCloseTo(6.0917e-8, 11);
  });

  it('constant after warmup, and explicit warmupSteps win over the ratio', () => {
    const constant = parseLrSchedule({ kind: 'constant', lr: 1e-3, totalSteps: 10, warmupSteps: 4, warmupRatio: 0.5 });
    expect([0, 2, 4, 9].map((s) => learningRateAt(constant, s))).toEqual([0, 5e-4, 1e-3, 1e-3]);
  });

  it('rejects a bad schedule naming the field', () => {
    expect(() => parseLrSchedule({ lr: 1e-4, totalSteps: 0 })).toThrow(/schedule\.totalSteps/);
    expect(() => parseLrSchedule({ lr: 1e-4, totalSteps: 5, kind: 'step' })).toThrow(/schedule\.kind/);
  });
});
