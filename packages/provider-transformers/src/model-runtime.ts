import { resolve } from 'node:path';
import { FerryError, type Logger, type ModelMetadata, type ModelTask } from '@ferry/core';
import { env, type PretrainedModelOptions } from '@huggingface/transformers';
import { resolveDevice } from './device.js';
import { assertModelFiles, locateModel, readModelConfig, type ModelConfigFile, type ModelSource, type RequiredFile } from './model-source.js';
import type { ResolvedTransformersConfig, TransformersDevice, TransformersDtype } from './transformers-config.js';

/** What every model builder gets from the provider. */
export interface ProviderContext {
  config: ResolvedTransformersConfig & { baseDir: string };
  logger: Logger;
}

/** A located, checked model and the settings it loads with. */
export interface PreparedModel {
  ref: string;
  source: ModelSource;
  /** `config.json`, when the files are local. */
  modelConfig: ModelConfigFile | undefined;
  device: 'cpu' | 'cuda';
  dtype: TransformersDtype;
  /** Options for transformers.js's `from_pretrained` / `pipeline`. */
  pretrained: PretrainedModelOptions;
}

/** `dtype` picks the ONNX file: `fp32` -> `<name>.onnx`, `q8` -> `<name>_quantized.onnx`. */
export function onnxFile(name: string, dtype: TransformersDtype): string {
  return `onnx/${name}${dtype === 'q8' ? '_quantized' : ''}.onnx`;
}

export function onnxRequirement(name: string, dtype: TransformersDtype, folder: string): RequiredFile {
  const file = onnxFile(name, dtype);
  return {
    path: file,
    why: `the ${dtype} ONNX weights`,
    hint:
      dtype === 'q8'
        ? `Use dtype "fp32", or put an int8-quantised export at ${folder}/${file} (optimum-cli or onnxruntime.quantization.quantize_dynamic make one).`
        : `Export the model to ONNX into ${folder}/onnx/ (e.g. "optimum-cli export onnx"), or use an onnx-community / Xenova conversion of it.`,
  };
}

export function tokenizerRequirement(folder: string): RequiredFile {
  return {
    path: 'tokenizer.json',
    why: 'the tokenizer',
    hint: `Copy the model's tokenizer.json and tokenizer_config.json into ${folder}.`,
  };
}

/**
 * Locates the model, checks the files the task needs, and settles device and
 * dtype. transformers.js's switches are process-wide, so they are set from
 * this provider's config; `local_files_only` per load is what keeps a model
 * that is not allowed to download from ever trying.
 */
export async function prepareModel(
  ctx: ProviderContext,
  model: string,
  runtime: { device?: TransformersDevice | undefined; dtype?: TransformersDtype | undefined },
  files: (folder: string, dtype: TransformersDtype) => RequiredFile[],
): Promise<PreparedModel> {
  const ref = `transformers:${model}`;
  const { allowRemote, cacheDir, baseDir } = ctx.config;
  const source = await locateModel(model, { allowRemote, cacheDir, baseDir });
  const modelConfig = await readModelConfig(source);
  const dtype = runtime.dtype ?? ctx.config.dtype;
  if (source.folder !== undefined) await assertModelFiles(source, files(source.folder, dtype));
  const device = await resolveDevice(runtime.device ?? ctx.config.device, ctx.logger, ref);

  env.allowLocalModels = true;
  env.allowRemoteModels = allowRemote;
  const cache = cacheDir === undefined ? undefined : resolve(baseDir, cacheDir);
  if (cache !== undefined) env.cacheDir = cache;
  const pretrained: PretrainedModelOptions = {
    device,
    dtype,
    local_files_only: source.kind !== 'hub',
    ...(cache === undefined ? {} : { cache_dir: cache }),
    ...(source.kind === 'hub'
      ? {
          progress_callback: (info) => {
            if (info.status === 'done') ctx.logger.info(`downloaded ${info.file} of ${ref}`);
          },
        }
      : {}),
  };
  return { ref, source, modelConfig, device, dtype, pretrained };
}

/** Runs a transformers.js load, turning its failure into an error that names the model and the fix. */
export async function loadWith<T>(prepared: PreparedModel, what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof FerryError) throw error;
    const where = prepared.source.folder ?? `the hub id "${prepared.source.id}"`;
    throw new FerryError(
      prepared.source.kind === 'hub' ? 'MODEL_NOT_FOUND' : 'INPUT_INVALID',
      `could not load ${prepared.ref} as ${what} from ${where}: ${(error as Error).message}`,
      {
        field: 'model',
        hint:
          prepared.source.kind === 'hub'
            ? `Check the hub id and the network, or download the model folder and reference it by path.`
            : `Check that ${where} holds a transformers.js-compatible ${what} export (config.json, tokenizer files, onnx/*.onnx), e.g. an onnx-community or Xenova conversion.`,
        cause: error,
        details: { device: prepared.device, dtype: prepared.dtype },
      },
    );
  }
}

export function modelMetadata(prepared: PreparedModel, task: ModelTask, kind: string, extra: Partial<ModelMetadata> = {}): ModelMetadata {
  const contextLength = numberField(prepared.modelConfig, 'max_position_embeddings') ?? numberField(prepared.modelConfig, 'n_positions');
  return {
    provider: 'transformers',
    model: prepared.source.model,
    ref: prepared.ref,
    task,
    neural: true,
    ...(contextLength === undefined ? {} : { contextLength }),
    description: `${prepared.source.model} (${kind}) through transformers.js on ${prepared.device}, ${prepared.dtype}`,
    ...extra,
  };
}

export function numberField(config: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = config?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
