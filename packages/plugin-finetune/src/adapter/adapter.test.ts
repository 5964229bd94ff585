import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '@ferry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLoraConfig } from '../lora/lora-config.js';
import { initLoraWeights } from '../lora/lora-init.js';
import { TrainingRng } from '../train/training-rng.js';
import { peftTensorName, readPeftAdapter, writePeftAdapter, type LoraModuleWeights } from './peft-adapter.js';
import { decodeSafetensors, encodeSafetensors, readSafetensors } from './safetensors.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('safetensors', () => {
  it('writes the documented layout and reads it back', () => {
    const bytes = encodeSafetensors({ b: Tensor.from([1, 2, 3], [3]), a: Tensor.from(Int8Array.from([-1, 2]), [1, 2]) }, { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'I8', shape: [1, 2], data_offsets: [0, 2] },
      b: { dtype: 'F32', shape: [3], data_offsets: [2, 14] },
    });
    expect(bytes.length).toBe(8 + headerLength + 14);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect([...back.tensors.get('b')!.data]).toEqual([1, 2, 3]);
    expect(back.tensors.get('a')!.dtype).toBe('i8');
  });

  it('rejects truncated or inconsistent files', () => {
    const bytes = encodeSafetensors({ w: Tensor.from([1, 2]) });
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 1), 'w.safetensors')).toThrow(/w\.safetensors is not a valid safetensors file: tensor "w" byte range/);
    expect(() => decodeSafetensors(bytes.subarray(0, 4))).toThrow(/shorter than its 8-byte header/);
  });
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
