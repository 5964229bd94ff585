/**
 * Task-typed model interfaces: the Models extension point. A provider returns
 * objects implementing these; apps and pipelines depend only on them, so a
 * model reference in config (`offline:hash-384` -> `openai:gpt-4o-mini`) is
 * the only thing that changes when a deployment moves to real models.
 */

export type ModelTask =
  | 'text-generation'
  | 'embedding'
  | 'classification'
  | 'image-embedding'
  | 'vision-language'
  | 'image-generation'
  | 'speech-to-text';

export const MODEL_TASKS: readonly ModelTask[] = [
  'text-generation',
  'embedding',
  'classification',
  'image-embedding',
  'vision-language',
  'image-generation',
  'speech-to-text',
];

export interface ModelMetadata {
  /** Provider prefix, e.g. `offline`, `openai`. */
  provider: string;
  /** Model id inside the provider, e.g. `hash-384`, `gpt-4o-mini`. */
  model: string;
  /** `provider:model`. */
  ref: string;
  task: ModelTask;
  /**
   * False for deterministic stand-ins (feature hashing, extraction, keyword
   * rules). Apps surface this so nobody mistakes them for a neural model.
   */
  neural: boolean;
  /** Output dimension of embedders. */
  dims?: number;
  /** Context window in tokens, where the provider knows it. */
  contextLength?: number;
  /** One line for `ferry plugins` and app metadata. */
  description?: string;
}

export interface BaseModel {
  readonly metadata: ModelMetadata;
  /** Releases sockets, native memory, worker threads. Idempotent. */
  dispose?(): Promise<void> | void;
}

// ---------------------------------------------------------------- text generation

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  content: string;
  name?: string;
}

/** A passage the answer must be grounded in (RAG context). */
export interface GroundingDocument {
  /** Stable id used in citations, e.g. `handbook.md#3`. */
  id: string;
  text: string;
  /** Human-readable source: file name, URL, title. */
  source?: string;
  metadata?: Record<string, unknown>;
}

export interface Citation {
  documentId: string;
  source?: string;
  /** The exact text of the document the answer relies on. */
  quote: string;
  /** Relevance the model assigned, 0..1, when it has one. */
  score?: number;
}

export interface GenerateOptions {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  /**
   * Documents to ground the answer in. Generators that take a plain prompt
   * render them into a system message; extractive models answer from them.
   */
  documents?: GroundingDocument[];
  signal?: AbortSignal;
}

export type FinishReason = 'stop' | 'length' | 'content-filter' | 'no-answer' | 'error';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface GenerationResult {
  text: string;
  finishReason: FinishReason;
  citations?: Citation[];
  usage?: TokenUsage;
  /** The metadata of the model that produced it (neural or not). */
  model: ModelMetadata;
}

export type GenerateInput = string | ChatMessage[];

export interface TextGenerator extends BaseModel {
  generate(input: GenerateInput, options?: GenerateOptions): Promise<GenerationResult>;
  /** Yields text pieces (tokens or token groups) as they are produced. */
  stream(input: GenerateInput, options?: GenerateOptions): AsyncIterable<string>;
}

// ---------------------------------------------------------------- embeddings

export interface EmbedOptions {
  signal?: AbortSignal;
}

export interface Embedder extends BaseModel {
  /** One L2-normalised (unless metadata says otherwise) vector per text. */
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

// ---------------------------------------------------------------- classification

export interface LabelScore {
  label: string;
  score: number;
}

export interface ClassificationResult {
  label: string;
  score: number;
  /** Every label, best first. */
  ranking: LabelScore[];
}

export interface LabelledExample {
  text: string;
  label: string;
}

export interface Classifier extends BaseModel {
  readonly labels: readonly string[];
  classify(texts: string[], options?: { signal?: AbortSignal }): Promise<ClassificationResult[]>;
}

export interface TrainableClassifier extends Classifier {
  fit(examples: LabelledExample[]): Promise<void>;
}

// ---------------------------------------------------------------- images, audio

export interface RawImage {
  width: number;
  height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  channels: 1 | 3 | 4;
  data: Uint8Array | Uint8ClampedArray;
}

/** Encoded bytes (PNG, JPEG...), a decoded image, a file path or a URL. */
export type ImageInput = Uint8Array | RawImage | { path: string } | { url: string };

export interface ImageEmbedder extends BaseModel {
  embedImages(images: ImageInput[], options?: EmbedOptions): Promise<Float32Array[]>;
  /** Text side of a joint image-text space (CLIP), when the model has one. */
  embedTexts?(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

export interface VisionLanguageModel extends BaseModel {
  answer(image: ImageInput, question: string, options?: GenerateOptions): Promise<GenerationResult>;
}

export interface ImageGenerateOptions {
  width?: number;
  height?: number;
  n?: number;
  seed?: number;
  signal?: AbortSignal;
}

export interface GeneratedImage {
  data: Uint8Array;
  mimeType: string;
  revisedPrompt?: string;
}

export interface ImageGenerator extends BaseModel {
  generateImages(prompt: string, options?: ImageGenerateOptions): Promise<GeneratedImage[]>;
}

/** Encoded audio bytes (WAV, MP3...), PCM samples, or a file path. */
export type AudioInput = Uint8Array | { samples: Float32Array; sampleRate: number } | { path: string };

export interface TranscriptionSegment {
  start: number;
  end: number;
  text: string;
}

export interface Transcription {
  text: string;
  language?: string;
  segments?: TranscriptionSegment[];
}

export interface SpeechToText extends BaseModel {
  transcribe(audio: AudioInput, options?: { language?: string; signal?: AbortSignal }): Promise<Transcription>;
}

// ---------------------------------------------------------------- providers

export interface ModelByTask {
  'text-generation': TextGenerator;
  embedding: Embedder;
  classification: Classifier;
  'image-embedding': ImageEmbedder;
  'vision-language': VisionLanguageModel;
  'image-generation': ImageGenerator;
  'speech-to-text': SpeechToText;
}

export type AnyModel = ModelByTask[ModelTask];

/**
 * A provider owns a prefix (`offline`, `openai`, `transformers`, `llama`) and
 * builds models for `prefix:model` references.
 */
export interface ModelProvider {
  readonly name: string;
  readonly description?: string;
  /** Tasks this provider can serve at all. */
  readonly tasks: readonly ModelTask[];
  /**
   * Builds (or loads) a model. `options` comes from the app config for this
   * reference; the provider validates it with its own zod schema.
   */
  create<T extends ModelTask>(task: T, model: string, options?: Record<string, unknown>): Promise<ModelByTask[T]>;
  /** Models it knows by name, for `ferry plugins` and completions. */
  listModels?(): ModelMetadata[];
  dispose?(): Promise<void> | void;
}
