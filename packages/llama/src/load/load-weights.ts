import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FerryError, Tensor } from '@ferry/core';
import { z } from 'zod';
import type { LlamaConfig } from './llama-config.js';
import { isFloatDType, readSafetensorsHeader, readTensorF32, type SafetensorsEntry, type SafetensorsHeader } from '../safetensors/read-safetensors.js';

/** HF tensor name -> f32 tensor, in the checkpoint's own layout (linear weights `[out, in]`). */
export type WeightMap = Map<string, Tensor<'f32'>>;

const indexSchema = z.object({ weight_map: z.record(z.string(), z.string()) });

interface Located {
  header: SafetensorsHeader;
  entry: SafetensorsEntry;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Every tensor the config implies, with its shape. */
export function expectedTensors(config: LlamaConfig): Map<string, number[]> {
  const { hiddenSize: h, intermediateSize: i, vocabSize: v, numHeads, numKvHeads, headDim: d } = config;
  const shapes = new Map<string, number[]>([['model.embed_tokens.weight', [v, h]]]);
  for (let layer = 0; layer < config.numLayers; layer++) {
    const p = `model.layers.${layer}.`;
    shapes.set(`${p}input_layernorm.weight`, [h]);
    shapes.set(`${p}post_attention_layernorm.weight`, [h]);
    for (const [name, rows] of [['q_proj', numHeads * d], ['k_proj', numKvHeads * d], ['v_proj', numKvHeads * d]] as const) {
      shapes.set(`${p}self_attn.${name}.weight`, [rows, h]);
      if (config.qkvBias) shapes.set(`${p}self_attn.${name}.bias`, [rows]);
    }
    shapes.set(`${p}self_attn.o_proj.weight`, [h, numHeads * d]);
    if (config.oBias) shapes.set(`${p}self_attn.o_proj.bias`, [h]);
    shapes.set(`${p}mlp.gate_proj.weight`, [i, h]);
    shapes.set(`${p}mlp.up_proj.weight`, [i, h]);
    shapes.set(`${p}mlp.down_proj.weight`, [h, i]);
  }
  shapes.set('model.norm.weight', [h]);
  if (!config.tieWordEmbeddings) shapes.set('lm_head.weight', [v, h]);
  return shapes;
}

/** Finds model.safetensors or model.safetensors.index.json and reads every shard header. */
async function locateTensors(folder: string): Promise<{ files: string[]; tensors: Map<string, Located> }> {
  const single = join(folder, 'model.safetensors');
  const indexFile = join(folder, 'model.safetensors.index.json');
  let files: string[];
  if (await exists(single)) {
    files = [single];
  } else if (await exists(indexFile)) {
    let parsed;
    try {
      parsed = indexSchema.safeParse(JSON.parse(await readFile(indexFile, 'utf8')));
    } catch (error) {
      throw new FerryError('INPUT_INVALID', `${indexFile} is not JSON (${(error as Error).message})`, {
        field: 'model.safetensors.index.json',
        hint: 'Restore the index file from the model repository.',
        details: { file: indexFile },
      });
    }
    if (!parsed.success) {
      throw new FerryError('INPUT_INVALID', `${indexFile} has no weight_map of tensor name -> shard file`, {
        field: 'weight_map',
        hint: 'Restore the index file from the model repository.',
        details: { file: indexFile },
      });
    }
    files = [...new Set(Object.values(parsed.data.weight_map))].map((name) => join(folder, name));
    for (const file of files) {
      if (!(await exists(file))) {
        throw new FerryError('MODEL_NOT_FOUND', `${indexFile} lists shard ${file}, which is missing`, {
          field: 'weight_map',
          hint: 'Download every shard the index names into the model folder.',
          details: { file, index: indexFile },
        });
      }
    }
  } else {
    throw new FerryError('MODEL_NOT_FOUND', `${folder} has neither model.safetensors nor model.safetensors.index.json`, {
      field: 'model.safetensors',
      hint: 'Download the safetensors weights into the folder (PyTorch .bin checkpoints are not read: convert them to safetensors).',
      details: { folder },
    });
  }
  const tensors = new Map<string, Located>();
  for (const file of files) {
    const header = await readSafetensorsHeader(file);
    for (const entry of header.tensors.values()) tensors.set(entry.name, { header, entry });
  }
  return { files, tensors };
}

/**
 * Loads every weight the config needs as f32, checking presence and shape
 * before reading data, so a bad checkpoint fails fast with the file and the
 * tensor named. Extra tensors (a tied lm_head, rotary caches) are ignored.
 */
export async function loadWeights(folder: string, config: LlamaConfig): Promise<WeightMap> {
  const { files, tensors } = await locateTensors(folder);
  const expected = expectedTensors(config);
  const where = files.length === 1 ? files[0]! : `the shards of ${join(folder, 'model.safetensors.index.json')}`;
  for (const [name, shape] of expected) {
    const found = tensors.get(name);
    if (!found) {
      throw new FerryError('MODEL_NOT_FOUND', `tensor "${name}" is missing from ${where}`, {
        field: name,
        hint: 'The checkpoint does not match config.json (or is not a Llama-family checkpoint): check model_type, num_hidden_layers and attention_bias.',
        details: { file: where, tensor: name },
      });
    }
    if (!isFloatDType(found.entry.dtype)) {
      throw new FerryError('INPUT_INVALID', `${found.header.file}: tensor "${name}" holds ${found.entry.dtype}; model weights must be F32, F16 or BF16`, {
        field: name,
        hint: 'Convert the checkpoint to float32, float16 or bfloat16 (quantised checkpoints are not supported).',
        details: { file: found.header.file, tensor: name },
      });
    }
    if (found.entry.shape.join(',') !== shape.join(',')) {
      throw new FerryError('TENSOR_SHAPE', `${found.header.file}: tensor "${name}" has shape [${found.entry.shape.join(', ')}], config.json implies [${shape.join(', ')}]`, {
        field: name,
        hint: 'config.json and the weights come from different models: download both from the same repository revision.',
        details: { file: found.header.file, tensor: name, shape: found.entry.shape, expected: shape },
      });
    }
  }
  const weights: WeightMap = new Map();
  for (const [name, shape] of expected) {
    const { header, entry } = tensors.get(name)!;
    weights.set(name, new Tensor('f32', await readTensorF32(header, entry), shape));
  }
  return weights;
}
