export { plugin } from './llama-plugin.js';
export {
  createLlamaProvider,
  LLAMA_PROVIDER_NAME,
  LLAMA_TASKS,
  llamaProviderConfigSchema,
  type LlamaProviderConfig,
  type LlamaProviderSettings,
} from './provider/llama-provider.js';
export { LlamaEmbedder, llamaEmbedOptionsSchema, type LlamaEmbedOptions, type LlamaEmbedSettings } from './provider/llama-embedder.js';
export {
  LlamaTextGenerator,
  llamaSamplingSchema,
  llamaTextOptionsSchema,
  type LlamaGenerateOptions,
  type LlamaSamplingOptions,
  type LlamaTextOptions,
} from './generate/llama-text-generator.js';
export { generateTokens, type TokenFinishReason, type TokenGenerationOptions } from './generate/generate-tokens.js';
export { argmax, sampleToken, type SamplingOptions } from './generate/sampling.js';
export { StopSequenceFilter } from './generate/stop-sequences.js';
export { loadLlama, type LoadedLlama, type LoadLlamaOptions } from './load/load-llama.js';
export { loadTokenizer } from './load/load-tokenizer.js';
export { expectedTensors, loadWeights, type WeightMap } from './load/load-weights.js';
export {
  llamaConfigSchema,
  parseLlamaConfig,
  readLlamaConfig,
  SUPPORTED_MODEL_TYPES,
  type LlamaConfig,
  type RopeScaling,
} from './load/llama-config.js';
export {
  decodeSafetensors,
  isFloatDType,
  readSafetensors,
  readSafetensorsHeader,
  readTensorF32,
  toF32,
  type SafetensorsDType,
  type SafetensorsEntry,
  type SafetensorsFile,
  type SafetensorsFloatDType,
  type SafetensorsHeader,
} from './safetensors/read-safetensors.js';
export { encodeSafetensors, writeSafetensors } from './safetensors/write-safetensors.js';
export {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  LORA_TARGET_MODULES,
  PEFT_MODULE_NAMES,
  peftAdapterConfigSchema,
  peftTensorName,
  readPeftAdapter,
  type LoraModuleWeights,
  type LoraTargetModule,
  type PeftAdapter,
  type PeftLoraConfig,
} from './adapters/peft-adapter.js';
export { LoraInferenceLinear } from './adapters/lora-inference-linear.js';
export { adaptLlama } from './adapters/adapt-llama.js';
export { LlamaAdapters, modelForAdapter, unknownAdapterError } from './adapters/llama-adapters.js';
export { defaultKernels } from '@ferry/core';
export { Attention, type AttentionStep } from './nn/attention.js';
export { DecoderLayer } from './nn/decoder-layer.js';
export { Embedding } from './nn/embedding.js';
export type { ForwardContext } from './nn/forward-context.js';
export { KvCache } from './nn/kv-cache.js';
export { Linear, type LinearModule } from './nn/linear.js';
export { LlamaModel, type ForwardOptions, type ForwardResult } from './nn/llama-model.js';
export { MLP } from './nn/mlp.js';
export { RMSNorm } from './nn/rms-norm.js';
export { RotaryEmbedding, ropeInverseFrequencies } from './nn/rotary.js';
