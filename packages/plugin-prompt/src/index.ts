export { plugin, promptPluginConfigSchema, type PromptPluginApi, type PromptPluginConfig } from './prompt-plugin.js';
export * from './templates/index.js';
export * from './library/index.js';
export * from './structured/index.js';
export * from './few-shot/index.js';
export * from './guard/index.js';
export * from './redact/index.js';
export * from './lint/index.js';
export * from './eval/index.js';
