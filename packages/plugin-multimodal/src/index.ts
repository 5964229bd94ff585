export * from './images/index.js';
export * from './clip/index.js';
export * from './vqa/index.js';
export * from './ad/index.js';
export { multimodalPluginConfigSchema, plugin, type MultimodalPluginApi, type MultimodalPluginConfig } from './multimodal-plugin.js';
