export type { Answer, AnswerEvent, AnswerSource } from './answer-types.js';
export { Answerer, createAnswerer, DEFAULT_CONTEXT_CHUNKS, DEFAULT_MIN_EVIDENCE, type AnswerFallback, type AnswererOptions, type AskOptions } from './answerer.js';
export { defaultPrompt, type PromptBuilder, type PromptDocument } from './default-prompt.js';
export { loadPromptPlugin, type PromptPluginParts } from './prompt-plugin-bridge.js';
export { citedSources, toContextNumbers } from './citations.js';
export { answerSource, sourceLabel } from './source-label.js';
