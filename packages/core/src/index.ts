export { FerryError, formatPath, fromZodError, isDependencyUnavailable, isFerryError, type FerryErrorCode, type FerryErrorOptions } from './errors/ferry-error.js';
export { CORE_VERSION } from './version.js';
export { writeFileAtomic } from './fs/write-file-atomic.js';

export {
  defineConfig,
  ferryConfigSchema,
  modelEntrySchema,
  pluginEntrySchema,
  type FerryConfig,
  type FerryConfigInput,
  type PluginEntryInput,
} from './config/config-schema.js';
export { CONFIG_FILE_NAMES, findConfigFile, loadConfig, parseConfig, type LoadedConfig } from './config/load-config.js';

export { definePlugin, pluginDefinitionSchema, type FerryPlugin, type PluginSetupResult } from './plugins/define-plugin.js';
export type { PluginContext } from './plugins/plugin-context.js';
export { FerryHost, startFerry, type PluginReport, type StartOptions } from './plugins/plugin-host.js';
export { CORE_PLUGIN_NAME, createCorePlugin } from './plugins/core-plugin.js';
export { PipelineRegistry, type PipelineSummary, type RegisteredPipeline } from './plugins/pipeline-registry.js';
export { createLogger, type Logger, type LogLevel } from './plugins/logger.js';

export * from './models/model-types.js';
export { ModelRegistry } from './models/model-registry.js';
export { parseModelRef, type ModelRef } from './models/model-ref.js';
export { groundedMessages, plainChatPrompt, renderGroundingContext } from './models/grounding-prompt.js';

export * from './providers/offline/index.js';
export * from './providers/openai/index.js';

export * from './tensor/index.js';
export * from './kernels/index.js';

export * from './pipeline/index.js';
export { CircuitBreaker, circuitBreakerOptionsSchema, type CircuitBreakerOptions, type CircuitState, type CircuitTrial } from './models/circuit-breaker.js';
export { withCircuitBreaker, type BreakerTextGenerator } from './models/circuit-breaker-generator.js';
