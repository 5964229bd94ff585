import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { defineStep, pipeline, splitSentences, Tensor, type FerryHost, type GenerationResult } from '@ferry/core';

const passage = z.object({ id: z.string(), source: z.string(), text: z.string().min(1) });
export type Passage = z.infer<typeof passage>;

const citation = z.object({ documentId: z.string(), source: z.string().optional(), quote: z.string(), score: z.number().optional() });

export const demoAnswerSchema = z.object({
  question: z.string(),
  answer: z.string(),
  finishReason: z.string(),
  citations: z.array(citation),
  retrieved: z.array(passage.extend({ score: z.number() })),
  models: z.array(z.object({ ref: z.string(), neural: z.boolean(), description: z.string().optional() })),
});
export type DemoAnswer = z.infer<typeof demoAnswerSchema>;

export interface DemoModels {
  embedder: string;
  answerer: string;
}

/**
 * The offline knowledge-base job: read documents, split them into passages,
 * embed them, retrieve the passages closest to the question with the
 * `topkSimilarity` kernel, and answer from them with cited sources.
 */
export function createDemoPipeline(host: FerryHost, models: DemoModels, topK = 4) {
  const load = defineStep({
    name: 'load-documents',
    input: z.object({ question: z.string().trim().min(3, 'ask a question of at least 3 characters'), dir: z.string() }),
    output: z.object({ question: z.string(), documents: z.array(passage).min(1, 'the folder holds no .md or .txt documents') }),
    async run({ question, dir }, ctx) {
      const names = (await readdir(dir)).filter((name) => /\.(md|txt)$/i.test(name)).sort();
      const documents: Passage[] = [];
      for (const [i, name] of names.entries()) {
        documents.push({ id: name, source: name, text: await readFile(join(dir, name), 'utf8') });
        ctx.emit({ current: i + 1, total: names.length, message: name });
      }
      return { question, documents };
    },
  });

  const split = defineStep({
    name: 'split-passages',
    input: load.output,
    output: z.object({ question: z.string(), passages: z.array(passage) }),
    run({ question, documents }) {
      // One passage per sentence of prose; headings carry no answer.
      const passages = documents.flatMap((doc) =>
        doc.text
          .split(/\r?\n/)
          .filter((line) => line.trim() !== '' && !line.startsWith('#'))
          .flatMap((line) => splitSentences(line).map((s) => s.text.trim()))
          .filter((text) => text.length > 0)
          .map((text, i) => ({ id: `${basename(doc.id)}#${i + 1}`, source: doc.source, text })),
      );
      return { question, passages };
    },
  });

  const retrieve = defineStep({
    name: 'retrieve',
    input: split.output,
    output: z.object({ question: z.string(), retrieved: z.array(passage.extend({ score: z.number() })) }),
    async run({ question, passages }, ctx) {
      const embedder = await host.model('embedding', models.embedder);
      const vectors = await embedder.embed(passages.map((p) => p.text));
      ctx.emit({ current: passages.length, total: passages.length, message: 'passages embedded' });
      const [query] = await embedder.embed([question]);
      const dims = embedder.metadata.dims ?? (query as Float32Array).length;
      const matrix = new Float32Array(passages.length * dims);
      vectors.forEach((v, i) => matrix.set(v, i * dims));
      const { indices, scores } = await host.kernels.ops.topkSimilarity(
        Tensor.from(query as Float32Array, [dims]),
        Tensor.from(matrix, [passages.length, dims]),
        { k: topK, metric: 'cosine' },
      );
      const retrieved = [...indices.data].map((index, rank) => ({ ...(passages[index] as Passage), score: scores.data[rank] as number }));
      ctx.setAttributes({ passages: passages.length, backend: host.kernels.backendFor('topkSimilarity') });
      return { question, retrieved };
    },
  });

  const answer = defineStep({
    name: 'answer',
    input: retrieve.output,
    output: demoAnswerSchema,
    async run({ question, retrieved }) {
      const embedder = await host.model('embedding', models.embedder);
      const generator = await host.model('text-generation', models.answerer);
      const result: GenerationResult = await generator.generate(question, {
        documents: retrieved.map((p) => ({ id: p.id, text: p.text, source: p.source })),
      });
      return {
        question,
        answer: result.text,
        finishReason: result.finishReason,
        citations: result.citations ?? [],
        retrieved,
        models: [embedder.metadata, result.model].map((m) => ({
          ref: m.ref,
          neural: m.neural,
          ...(m.description === undefined ? {} : { description: m.description }),
        })),
      };
    },
  });

  return pipeline('demo.knowledge-base', load, split, retrieve, answer);
}
