import { defaultKernels } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { applyLora } from '../model/apply-lora.js';
import { initLlamaModel } from '../model/init-llama.js';
import { llamaObjective } from '../model/llama-objective.js';
import { trainLoop } from './train-loop.js';

const MB = 1024 * 1024;

/** Resident memory outside V8's heap (whose own growth between collections is noise here): where native buffers live. */
function residentOffHeap(): number {
  const usage = process.memoryUsage();
  return usage.rss - usage.heapTotal;
}

describe('trainLoop memory', () => {
  it('keeps resident memory flat over a LoRA run on the default kernels (native outputs are freed every step)', async () => {
    // The default registry: `native` when the addon is built, whose outputs are freed by Node-API finalizers.
    const registry = await defaultKernels();
    const model = initLlamaModel(
      { model_type: 'llama', hidden_size: 64, intermediate_size: 172, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 4, vocab_size: 258, max_position_embeddings: 128, rms_norm_eps: 1e-5, tie_word_embeddings: true },
      registry.ops,
      { seed: 3 },
    );
    const lora = await applyLora(model, { r: 8, alpha: 16, dropout: 0.05, targetModules: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] }, { seed: 5 });
    const sequences = Array.from({ length: 16 }, (_, i) => {
      const ids = Array.from({ length: 96 }, (_, t) => (i * 31 + t * 7) % 256);
      return { ids, labels: ids.map((id, t) => (t < 80 ? -100 : id)) };
    });
    const offHeap: number[] = [];
    await trainLoop(
      registry.ops,
      llamaObjective(model, { kind: 'lora', lora }),
      { size: sequences.length, batch: (indices) => indices.map((i) => sequences[i]!) },
      { seed: 1, batchSize: 8, schedule: { kind: 'constant', lr: 1e-3, totalSteps: 30 } },
      { onEvent: (event) => void (event.type === 'progress' && offHeap.push(residentOffHeap())) },
    );
    // Each step allocates ~17 MB of kernel outputs; when they stayed allocated until the run ended, these 20 steps grew by ~340 MB.
    const growth = offHeap[29]! - offHeap[9]!;
    expect(growth / MB).toBeLessThan(64);
  });
});
