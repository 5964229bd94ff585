import { describe, expect, it } from 'vitest';
import { FINANCE_SENTIMENT_LABELS } from './data/label-map.js';
import { parseFinetuneConfig } from './finetune-config.js';

const config = {
  model: 'llama:./models/tiny-llama',
  mode: 'qlora',
  lora: { r: 8, alpha: 16, dropout: 0.05, targetModules: ['q_proj', 'v_proj'] },
  data: { train: '../shared/data/finance-sentiment/sent_train.csv', validation: '../shared/data/finance-sentiment/sent_valid.csv', labelMap: FINANCE_SENTIMENT_LABELS },
  prompt: { kind: 'instruction', instruction: 'Classify the sentiment of the financial tweet as negative, positive or neutral.' },
  training: { batchSize: 8, gradientAccumulationSteps: 4, schedule: { kind: 'cosine', lr: 2e-4, totalSteps: 300, warmupRatio: 0.03 }, evalEvery: 50, earlyStopping: { metric: 'weightedF1', mode: 'max', patience: 3 } },
  outputDir: 'runs/finance-sentiment',
};

describe('parseFinetuneConfig', () => {
  it('fills defaults for a QLoRA run on the finance-sentiment data', () => {
    const parsed = parseFinetuneConfig(config);
    expect(parsed.lora?.targetModules).toEqual(['q', 'v']);
    expect(parsed.data).toMatchObject({ textField: 'text', labelField: 'label', maxLength: 256, skipBadRows: false });
    expect(parsed.training).toMatchObject({ seed: 42, maxGradNorm: 1, shuffle: true });
    expect(parsed.eval).toEqual({ reviewSampleSize: 20, normalize: 'sum' });
  });

  it('names the bad field', () => {
    expect(() => parseFinetuneConfig({ ...config, lora: undefined })).toThrow(/lora: mode "qlora" needs a lora section/);
    expect(() => parseFinetuneConfig({ ...config, mode: 'full' })).toThrow(/mode "full" trains every weight/);
    expect(() => parseFinetuneConfig({ ...config, training: { ...config.training, schedule: { lr: 2e-4 } } })).toThrow(/training\.schedule\.totalSteps/);
    expect(() => parseFinetuneConfig({ ...config, prompt: { kind: 'chat' } })).toThrow(/prompt\.instruction/);
    expect(() => parseFinetuneConfig({ ...config, training: { ...config.training, checkpointDir: 'x' } })).toThrow(/checkpointDir/);
  });
});
