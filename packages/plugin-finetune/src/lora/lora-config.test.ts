import { describe, expect, it } from 'vitest';
import { TrainingRng } from '../train/training-rng.js';
import { loraScaling, parseLoraConfig } from './lora-config.js';
import { initLoraWeights, kaimingUniformBound } from './lora-init.js';

describe('parseLoraConfig', () => {
  it("accepts PEFT's module names and orders them q, k, v, o, gate, up, down", () => {
    const config = parseLoraConfig({ r: 16, alpha: 32, dropout: 0.05, targetModules: ['down_proj', 'q_proj', 'v'] });
    expect(config.targetModules).toEqual(['q', 'v', 'down']);
    expect(config.bias).toBe('none');
    expect(loraScaling(config)).toBe(2);
  });

  it('names the bad field', () => {
    expect(() => parseLoraConfig({ r: 8, alpha: 16, targetModules: ['lm_head'] })).toThrow(/lora\.targetModules\[0\].*unknown target module "lm_head"/s);
    expect(() => parseLoraConfig({ r: 1.5, alpha: 16, targetModules: ['q'] })).toThrow(/lora\.r/);
    expect(() => parseLoraConfig({ r: 8, alpha: 16, dropout: 1, targetModules: ['q'] })).toThrow(/lora\.dropout/);
    expect(() => parseLoraConfig({ r: 8, alpha: 16, targetModules: ['q'], bias: 'all' })).toThrow(/lora\.bias/);
  });
});

describe('PEFT initialisation', () => {
  it('computes the kaiming_uniform_(a=sqrt(5)) bound as torch does', () => {
    // torch: gain = sqrt(2 / (1 + 5)), std = gain / sqrt(fan_in), bound = sqrt(3) * std.
    expect(kaimingUniformBound(4096)).toBeCloseTo(1 / 64, 15);
    expect(kaimingUniformBound(16)).toBeCloseTo(0.25, 15);
    expect(kaimingUniformBound(16, 0)).toBeCloseTo(Math.sqrt(6 / 16), 15);
  });

  it('draws A within the bound, B zero, reproducibly from the seed', () => {
    const one = initLoraWeights(64, 32, 8, new TrainingRng(1));
    const two = initLoraWeights(64, 32, 8, new TrainingRng(1));
    expect(one.a.shape).toEqual([8, 64]);
    expect(one.b.shape).toEqual([32, 8]);
    expect([...one.a.data]).toEqual([...two.a.data]);
    expect(Math.max(...one.a.data.map(Math.abs))).toBeLessThanOrEqual(0.125);
    expect(Math.max(...one.a.data.map(Math.abs))).toBeGreaterThan(0.1);
    expect(one.b.data.every((v) => v === 0)).toBe(true);
  });
});
