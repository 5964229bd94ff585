import { describe, expect, it } from 'vitest';
import { LORA_TARGET_MODULES } from './lora-config.js';
import { baseParameterCount, fullParameterReport, loraParameterReport } from './parameter-report.js';

const llama2_7b = { hiddenSize: 4096, intermediateSize: 11008, numHiddenLayers: 32, numAttentionHeads: 32, numKeyValueHeads: 32, vocabSize: 32000, tieWordEmbeddings: false };
const llama3_8b = { hiddenSize: 4096, intermediateSize: 14336, numHiddenLayers: 32, numAttentionHeads: 32, numKeyValueHeads: 8, vocabSize: 128256 };

describe('loraParameterReport', () => {
  it("equals PEFT's print_trainable_parameters for Llama-2-7B, r=16 on all seven modules", () => {
    const report = loraParameterReport(llama2_7b, { r: 16, targetModules: LORA_TARGET_MODULES });
    expect(report.trainable).toBe(39_976_960);
    expect(report.all).toBe(6_778_392_576);
    expect(report.text).toBe('trainable params: 39,976,960 || all params: 6,778,392,576 || trainable%: 0.5898');
    expect(baseParameterCount(llama2_7b)).toBe(6_738_415_616);
  });

  it('uses the narrower k/v projections of grouped-query attention (Llama-3-8B)', () => {
    expect(baseParameterCount(llama3_8b)).toBe(8_030_261_248);
    const report = loraParameterReport(llama3_8b, { r: 8, targetModules: ['q', 'k', 'v', 'o'] });
    // q, o: 8 * (4096 + 4096); k, v: 8 * (4096 + 1024); 32 layers.
    expect(report.trainable).toBe(32 * (2 * 8 * 8192 + 2 * 8 * 5120));
    expect(report.text).toBe(`trainable params: 6,815,744 || all params: 8,037,076,992 || trainable%: ${((100 * 6_815_744) / 8_037_076_992).toFixed(4)}`);
  });

  it('counts tied embeddings once', () => {
    const tiny = { hiddenSize: 64, intermediateSize: 128, numHiddenLayers: 2, numAttentionHeads: 4, vocabSize: 100 };
    const untied = baseParameterCount(tiny);
    expect(baseParameterCount({ ...tiny, tieWordEmbeddings: true })).toBe(untied - 100 * 64);
    expect(untied).toBe(100 * 64 * 2 + 64 + 2 * (4 * 64 * 64 + 3 * 64 * 128 + 2 * 64));
  });

  it('reports full fine-tuning as 100% trainable', () => {
    const report = fullParameterReport(llama2_7b);
    expect(report.trainable).toBe(report.all);
    expect(report.text).toBe('trainable params: 6,738,415,616 || all params: 6,738,415,616 || trainable%: 100.0000');
  });

  it('rejects bad configs with the field named', () => {
    expect(() => loraParameterReport({ ...llama2_7b, numKeyValueHeads: 5 }, { r: 8, targetModules: ['q'] })).toThrow(/numKeyValueHeads/);
    expect(() => loraParameterReport(llama2_7b, { r: 0, targetModules: ['q'] })).toThrow(/r must be a positive integer/);
  });
});
