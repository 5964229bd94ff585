export { ClipVqaModel, type ClipVqaOptions } from './clip-vqa-model.js';
export { OpenAIVisionModel, openAIVisionOptionsSchema, type OpenAIVisionOptions } from './openai-vision-model.js';
export { DEFAULT_COLOUR_CANDIDATES, DEFAULT_OBJECT_CANDIDATES, parseClosedQuestion, type ClosedQuestion } from './closed-questions.js';
export { createTransformersVisionModel, TransformersVisionModel, transformersVisionOptionsSchema, type TransformersVisionOptions } from './transformers-vision-model.js';
