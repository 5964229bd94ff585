import { FerryHost, fromZodError } from '@ferry/core';
import { Flags } from '@oclif/core';
import { KnowledgeBase } from '../ingest/knowledge-base.js';
import { ragConfigSchema, type RagConfig } from '../ingest/rag-config.js';

/** Flags every `ferry rag` command that opens a knowledge base takes. */
export const knowledgeBaseFlags = {
  dir: Flags.string({ description: 'embedded store folder', default: '.ferry/rag/vectors', exclusive: ['url'] }),
  url: Flags.string({ description: 'Chroma server URL (instead of the embedded store), e.g. http://localhost:8000' }),
  collection: Flags.string({ description: 'collection name', default: 'knowledge-base' }),
  'state-dir': Flags.string({ description: 'folder of the ingest manifest and BM25 index', default: '.ferry/rag/state' }),
  embedder: Flags.string({ description: 'embedding model reference', default: 'offline:hash-384' }),
  config: Flags.string({ description: 'ferry config file whose plugins provide the models (e.g. the transformers provider)' }),
};

export const answerFlags = {
  generator: Flags.string({ description: 'text generation model reference', default: 'offline:extractive' }),
  mode: Flags.string({ description: 'retrieval method', options: ['hybrid', 'vector', 'bm25'], default: 'hybrid' }),
  k: Flags.integer({ description: 'chunks of context', min: 1, max: 100, default: 4 }),
  'min-evidence': Flags.string({ description: '"I don\'t know" under this best-chunk evidence (0..1)', default: '0.42' }),
};

interface Parsed {
  dir: string;
  url?: string | undefined;
  collection: string;
  'state-dir': string;
  embedder: string;
  config?: string | undefined;
  generator?: string;
  mode?: string;
  k?: number;
  'min-evidence'?: string;
}

/** The rag config the flags describe, validated by the plugin's schema. */
export function configFromFlags(flags: Parsed, extra: Partial<RagConfig> = {}): RagConfig {
  const parsed = ragConfigSchema.safeParse({
    store: flags.url ? { kind: 'chroma', url: flags.url } : { kind: 'embedded', dir: flags.dir },
    collection: flags.collection,
    stateDir: flags['state-dir'],
    embedder: flags.embedder,
    ...(flags.generator === undefined ? {} : { generator: flags.generator }),
    retrieval: { mode: flags.mode ?? 'hybrid' },
    answer: { k: flags.k ?? 4, minEvidence: Number(flags['min-evidence'] ?? 0.42) },
    ...extra,
  });
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'ferry rag flags' });
  return parsed.data;
}

/** Starts a host for the models and opens the knowledge base; close both with `dispose`. */
export async function openKnowledgeBase(config: RagConfig, configFile: string | undefined): Promise<{ kb: KnowledgeBase; dispose(): Promise<void> }> {
  const host = await FerryHost.start({ config: configFile ?? {} });
  try {
    const embedder = await host.model('embedding', config.embedder);
    const generator = await host.model('text-generation', config.generator);
    const kb = new KnowledgeBase({ config, baseDir: process.cwd(), embedder, generator });
    return {
      kb,
      dispose: async () => {
        await kb.close();
        await host.dispose();
      },
    };
  } catch (error) {
    await host.dispose();
    throw error;
  }
}
