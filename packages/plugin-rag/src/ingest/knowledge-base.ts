import { isAbsolute, resolve } from 'node:path';
import type { Embedder, TextGenerator } from '@ferry/core';
import { createAnswerer, type Answerer, type AnswererOptions } from '../answer/answerer.js';
import { createRetriever } from '../retrieval/create-retriever.js';
import { KeywordIndex } from '../retrieval/keyword-index.js';
import type { Retriever } from '../retrieval/retriever.js';
import { connectChroma } from '../stores/chroma-store.js';
import { openEmbeddedStore } from '../stores/embedded-store.js';
import type { VectorCollection, VectorStore } from '../stores/vector-store.js';
import { LEXICAL_EMBEDDER_FUSION, type RagConfig } from './rag-config.js';
import { statePaths } from './state-paths.js';

export interface KnowledgeBaseParts {
  config: RagConfig;
  /** Folder relative paths of the config resolve against. */
  baseDir: string;
  embedder: Embedder;
  generator: TextGenerator;
  /** Told when an answer falls back to the extractive answerer (answer.fallback), e.g. to log it. */
  onDegraded?: AnswererOptions['onDegraded'];
}

/**
 * A configured knowledge base: the store (opened on first use, since an
 * embedded store admits one process at a time), the keyword index beside it,
 * and the retriever and answerer built on them. `refresh()` after an ingest
 * picks up the new keyword index.
 */
export class KnowledgeBase {
  private opened: Promise<{ store: VectorStore; collection: VectorCollection }> | undefined;
  private built: Promise<{ retriever: Retriever; answerer: Answerer }> | undefined;

  constructor(readonly parts: KnowledgeBaseParts) {}

  path(p: string): string {
    return isAbsolute(p) ? p : resolve(this.parts.baseDir, p);
  }

  get stateDir(): string {
    return this.path(this.parts.config.stateDir);
  }

  async store(): Promise<VectorStore> {
    return (await this.open()).store;
  }

  async collection(): Promise<VectorCollection> {
    return (await this.open()).collection;
  }

  async retriever(): Promise<Retriever> {
    return (await this.build()).retriever;
  }

  async answerer(): Promise<Answerer> {
    return (await this.build()).answerer;
  }

  /** Drops the built retriever so the next use reloads the keyword index (after an ingest). */
  refresh(): void {
    this.built = undefined;
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    this.built = undefined;
    if (opened) await (await opened).store.close();
  }

  private open(): Promise<{ store: VectorStore; collection: VectorCollection }> {
    this.opened ??= (async () => {
      const { store: storeConfig, collection: name } = this.parts.config;
      const store = storeConfig.kind === 'embedded' ? await openEmbeddedStore(this.path(storeConfig.dir)) : await connectChroma({ url: storeConfig.url, ...(storeConfig.timeoutMs === undefined ? {} : { timeoutMs: storeConfig.timeoutMs }) });
      const dims = this.parts.embedder.metadata.dims ?? (await this.parts.embedder.embed(['dimension probe']))[0]?.length ?? 0;
      return { store, collection: await store.collection(name, { dims }) };
    })().catch((error: unknown) => {
      // A failed open (store locked, server down) must not stick: the next call tries again.
      this.opened = undefined;
      throw error;
    });
    return this.opened;
  }

  private build(): Promise<{ retriever: Retriever; answerer: Answerer }> {
    this.built ??= (async () => {
      const collection = await this.collection();
      const { config, embedder, generator } = this.parts;
      const { keywordIndexPath } = statePaths(this.stateDir, config.collection);
      let keywords = await KeywordIndex.load(keywordIndexPath);
      // Missing or out of step with the store (another tool wrote to it): rebuild from the stored texts.
      if (!keywords || keywords.size !== (await collection.count())) keywords = await KeywordIndex.fromCollection(collection);
      const { retrieval, answer } = config;
      const lexical = embedder.metadata.neural === false;
      const retriever = createRetriever(
        { collection, embedder, keywords },
        {
          mode: retrieval.mode,
          candidates: retrieval.candidates,
          rrfK: retrieval.rrfK ?? (lexical ? LEXICAL_EMBEDDER_FUSION.rrfK : 60),
          weights: retrieval.weights ?? (lexical ? LEXICAL_EMBEDDER_FUSION.weights : { vector: 1, bm25: 1 }),
          ...(retrieval.mmr === undefined ? {} : { mmr: retrieval.mmr }),
        },
      );
      const answerer = await createAnswerer({
        retriever,
        generator,
        k: answer.k,
        minEvidence: answer.minEvidence,
        usePromptPlugin: answer.usePromptPlugin,
        ...(answer.maxTokens === undefined ? {} : { maxTokens: answer.maxTokens }),
        ...(answer.generatorTimeoutMs === undefined ? {} : { generatorTimeoutMs: answer.generatorTimeoutMs }),
        fallback: answer.fallback,
        ...(this.parts.onDegraded === undefined ? {} : { onDegraded: this.parts.onDegraded }),
      });
      return { retriever, answerer };
    })().catch((error: unknown) => {
      this.built = undefined;
      throw error;
    });
    return this.built;
  }
}
