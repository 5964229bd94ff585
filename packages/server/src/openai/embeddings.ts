import { z } from 'zod';
import { abortOnDisconnect } from '../http/abort-on-disconnect.js';
import { defineRoute } from '../http/define-route.js';
import { HttpError } from '../http/http-error.js';
import type { ModelSource } from './model-source.js';

export const embeddingsRequestSchema = z.looseObject({
  model: z.string().min(1, 'name an embedding model: a Ferry model reference (offline:hash-384) or an alias from the app config'),
  input: z.union([z.string(), z.array(z.string()).min(1, 'send at least one text').max(2048)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().optional(),
});

export function embeddingsRoute(models: ModelSource, scope: string) {
  return defineRoute({
    method: 'POST',
    url: '/v1/embeddings',
    body: embeddingsRequestSchema,
    scope,
    async handler({ body, reply }) {
      const texts = typeof body.input === 'string' ? [body.input] : body.input;
      const model = await models.embedder(body.model);
      const dims = model.metadata.dims;
      if (body.dimensions !== undefined && dims !== undefined && body.dimensions !== dims) {
        throw new HttpError(400, 'INPUT_INVALID', `body.dimensions: ${body.model} produces ${dims} dimensions, not ${body.dimensions}`, 'Leave "dimensions" out, or pick a model with that size (e.g. offline:hash-<dims>).', 'body.dimensions');
      }
      const vectors = await model.embed(texts, { signal: abortOnDisconnect(reply) });
      return {
        object: 'list',
        model: body.model,
        data: vectors.map((v, index) => ({
          object: 'embedding',
          index,
          // The official client asks for base64 by default and decodes little-endian float32.
          embedding: body.encoding_format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v),
        })),
        ferry: { model: model.metadata.ref, neural: model.metadata.neural, dims: dims ?? vectors[0]?.length },
      };
    },
  });
}
