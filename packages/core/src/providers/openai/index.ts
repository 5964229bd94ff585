export { createOpenAIProvider } from './openai-provider.js';
export {
  DEFAULT_OPENAI_BASE_URL,
  openAIProviderConfigSchema,
  type OpenAIClientSettings,
  type OpenAIProviderConfig,
} from './openai-provider-config.js';
export { OpenAIClient } from './openai-client.js';
export { chatCompletionSchema } from './openai-wire-schemas.js';
export {
  openAIChatOptionsSchema,
  openAIEmbeddingOptionsSchema,
  openAIImageOptionsSchema,
  openAISpeechToTextOptionsSchema,
  type OpenAIChatOptions,
  type OpenAIEmbeddingOptions,
  type OpenAIImageOptions,
  type OpenAISpeechToTextOptions,
} from './openai-model-options.js';
export { OpenAIChatModel, toFinishReason } from './openai-chat-model.js';
export { OpenAIEmbeddingModel } from './openai-embedding-model.js';
export { OpenAIImageModel } from './openai-image-model.js';
export { OpenAISpeechToTextModel } from './openai-speech-to-text-model.js';
