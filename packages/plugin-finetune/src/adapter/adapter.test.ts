import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLoraConfig } from '../lora/lora-config.js';
import { initLoraWeights } from '../lora/lora-init.js';
import { TrainingRng } from '../train/training-rng.js';
import { peftTensorName, readPeftAdapter, writePeftAdapter, type LoraModuleWeights } from './peft-adapter.js';
import { readSafetensors } from '@ferry/llama';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('PEFT adapter', () => {
  const config = parseLoraConfig({ r: 4, alpha: 8, dropout: 0.05, targetModules: ['q_proj', 'v_proj', 'down_proj'] });
  const weights = (): LoraModuleWeights[] => {
    const rng = new TrainingRng(3);
    const out: LoraModuleWeights[] = [];
    for (const layer of [0, 1]) {
      for (const [module, inF, outF] of [['q', 16, 16], ['v', 16, 8], ['down', 24, 16]] as const) {
        const { a, b } = initLoraWeights(inF, outF, 4, rng);
        for (let i = 0; i < b.size; i++) b.data[i] = rng.uniform(-0.1, 0.1);
        out.push({ layer, module, a, b });
      }
    }
    return out;
  };

  it("writes PEFT's adapter_config.json keys and tensor names and reads them back exactly", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-adapter-'));
    dirs.push(dir);
    const original = weights();
    await writePeftAdapter(dir, { config, baseModel: 'meta-llama/Llama-2-7b-hf', weights: original });
    const json = JSON.parse(await readFile(join(dir, 'adapter_config.json'), 'utf8'));
    expect(json).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0.05,
      bias: 'none',
      fan_in_fan_out: false,
      target_modules: ['q_proj', 'v_proj', 'down_proj'],
      base_model_name_or_path: 'meta-llama/Llama-2-7b-hf',
      inference_mode: true,
    });
    const file = await readSafetensors(join(dir, 'adapter_model.safetensors'));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors.get('base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight')!.shape).toEqual([4, 16]);
    expect(file.tensors.get('base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight')!.shape).toEqual([8, 4]);
    expect(file.tensors.get('base_model.model.model.layers.0.mlp.down_proj.lora_A.weight')!.shape).toEqual([4, 24]);
    expect(file.tensors.size).toBe(12);

    const back = await readPeftAdapter(dir);
    expect(back.config).toEqual(config);
    expect(back.baseModel).toBe('meta-llama/Llama-2-7b-hf');
    expect(back.weights.map((w) => `${w.layer}.${w.module}`)).toEqual(original.map((w) => `${w.layer}.${w.module}`));
    back.weights.forEach((w, i) => {
      expect(Buffer.from(w.a.data.buffer).equals(Buffer.from(original[i]!.a.data.buffer))).toBe(true);
      expect(Buffer.from(w.b.data.buffer).equals(Buffer.from(original[i]!.b.data.buffer))).toBe(true);
    });
  });

  it('names PEFT tensors as PEFT does', () => {
    expect(peftTensorName(0, 'q', 'A')).toBe('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight');
    expect(peftTensorName(31, 'gate', 'B')).toBe('base_model.model.model.layers.31.mlp.gate_proj.lora_B.weight');
  });

  it('refuses adapters it would apply wrongly, naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-adapter-'));
    dirs.push(dir);
    await writePeftAdapter(dir, { config, baseModel: 'base', weights: weights() });
    const json = JSON.parse(await readFile(join(dir, 'adapter_config.json'), 'utf8'));
    await writeFile(join(dir, 'adapter_config.json'), JSON.stringify({ ...json, use_rslora: true }));
    await expect(readPeftAdapter(dir)).rejects.toThrow(/use_rslora/);
    await writeFile(join(dir, 'adapter_config.json'), JSON.stringify({ ...json, target_modules: ['q_proj', 'lm_head'] }));
    await expect(readPeftAdapter(dir)).rejects.toThrow(/"lm_head" is not one Ferry adapts/);
    await writeFile(join(dir, 'adapter_config.json'), JSON.stringify({ ...json, r: 8 }));
    await expect(readPeftAdapter(dir)).rejects.toThrow(/rank 8/);
  });
});
