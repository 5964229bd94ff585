import { readFileSync } from 'node:fs';
import { FerryError, definePlugin, withCircuitBreaker, type PipelineEventListener } from '@ferry/core';
import type { Answer, AnswerEvent } from './answer/answer-types.js';
import type { AskOptions } from './answer/answerer.js';
import { ingest, type IngestReport } from './ingest/ingest.js';
import { KnowledgeBase } from './ingest/knowledge-base.js';
import { ragConfigSchema, type RagConfig, type RagConfigInput } from './ingest/rag-config.js';
import type { Retriever } from './retrieval/retriever.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface RagIngestOptions {
  /** Folder to ingest; the config's `root` by default. */
  root?: string;
  include?: string[];
  exclude?: string[];
  onEvent?: PipelineEventListener;
  signal?: AbortSignal;
}

/** What dependents get from `ctx.use('@ferry/plugin-rag')`. */
export interface RagPluginApi {
  /** Incremental ingest of a folder into the configured collection. */
  ingest(options?: RagIngestOptions): Promise<IngestReport>;
  /** Answers with citations, or "I don't know". */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** Text pieces, then the answer. */
  stream(question: string, options?: AskOptions): AsyncIterable<AnswerEvent>;
  /** The configured retriever (hybrid by default). */
  retriever(): Promise<Retriever>;
  knowledgeBase: KnowledgeBase;
}

export type { RagConfig, RagConfigInput };

export const plugin = definePlugin<RagConfig, RagPluginApi>({
  name: '@ferry/plugin-rag',
  version: VERSION,
  description: 'Knowledge base: loaders, CJK-aware splitting, embedded or Chroma vector store, hybrid retrieval, cited answers',
  core: '^0.1.0',
  configSchema: ragConfigSchema,
  async setup(ctx) {
    const config = ctx.config;
    const embedder = await ctx.models.resolve('embedding', config.embedder);
    const model = await ctx.models.resolve('text-generation', config.generator);
    const { breaker } = config.answer;
    const generator = breaker === undefined ? model : withCircuitBreaker(model, breaker);
    const kb = new KnowledgeBase({
      config,
      baseDir: ctx.appDir,
      embedder,
      generator,
      onDegraded: ({ reason }) => ctx.logger.warn('answer degraded: the generator failed, the extractive fallback answered', { generator: config.generator, reason }),
    });
    const api: RagPluginApi = {
      knowledgeBase: kb,
      async ingest(options = {}) {
        const root = options.root ?? config.root;
        if (root === undefined) {
          throw new FerryError('INPUT_INVALID', 'ingest needs a folder: none given and the plugin config has no "root"', {
            plugin: '@ferry/plugin-rag',
            field: 'root',
            hint: 'Pass ingest({ root: "docs" }) or set root in the plugin config.',
          });
        }
        const include = options.include ?? config.include;
        const exclude = options.exclude ?? config.exclude;
        try {
          return await ingest({
            root: kb.path(root),
            store: await kb.store(),
            collection: config.collection,
            embedder,
            stateDir: kb.stateDir,
            split: config.split,
            ...(include === undefined ? {} : { include }),
            ...(exclude === undefined ? {} : { exclude }),
            followLinksOutsideRoot: config.followLinksOutsideRoot,
            ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
            ...(options.signal === undefined ? {} : { signal: options.signal }),
          });
        } finally {
          kb.refresh();
        }
      },
      ask: async (question, options) => (await kb.answerer()).ask(question, options),
      async *stream(question, options) {
        yield* (await kb.answerer()).stream(question, options);
      },
      retriever: () => kb.retriever(),
    };
    ctx.pipelines.register({
      name: 'rag.answer',
      description: 'question -> guard -> retrieve -> prompt -> generate -> cited answer',
      run: async (input) => {
        const { question, ...options } = input as { question: string } & AskOptions;
        return api.ask(question, options);
      },
    });
    ctx.logger.info('knowledge base configured', { store: config.store.kind, collection: config.collection, embedder: config.embedder, generator: config.generator });
    return { api, dispose: () => kb.close() };
  },
});
