import { z } from 'zod';
import { defineStep, definePlugin, FerryError, pipeline, Tensor, type Embedder, type KernelBackend, type ModelProvider } from '@ferry/core';

/** A model: letter-frequency vectors. Tiny, deterministic, honest about not being neural. */
class LetterEmbedder implements Embedder {
  readonly metadata = {
    provider: 'acme',
    model: 'letters',
    ref: 'acme:letters',
    task: 'embedding' as const,
    neural: false,
    dims: 26,
    description: 'letter frequencies (a-z), L2-normalised',
  };

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      const v = new Float32Array(26);
      for (const ch of text.toLowerCase()) {
        const i = ch.charCodeAt(0) - 97;
        if (i >= 0 && i < 26) v[i] = (v[i] ?? 0) + 1;
      }
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    });
  }
}

const acmeProvider: ModelProvider = {
  name: 'acme',
  tasks: ['embedding'],
  async create(task, model) {
    if (task !== 'embedding' || model !== 'letters') {
      throw new FerryError('MODEL_NOT_FOUND', `acme has no ${task} model "${model}"`, {
        field: 'model',
        hint: 'Use "acme:letters" (embedding).',
      });
    }
    return new LetterEmbedder() as never;
  },
};

/** A kernel backend: SiLU written as x / (1 + e^-x) over the whole buffer. */
export const acmeKernels: KernelBackend = {
  name: 'acme-fast',
  priority: 10,
  available: () => true,
  kernels: {
    silu(x) {
      const out = new Float32Array(x.size);
      const src = x.data as Float32Array;
      for (let i = 0; i < out.length; i++) out[i] = (src[i] as number) / (1 + Math.exp(-(src[i] as number)));
      return Tensor.from(out, [...x.shape]);
    },
  },
};

/** A pipeline step: configurable through the plugin's config section. */
function shoutStep(suffix: string) {
  return defineStep({
    name: 'shout',
    input: z.object({ text: z.string().min(1) }),
    output: z.object({ text: z.string() }),
    run: ({ text }) => ({ text: `${text.toUpperCase()}${suffix}` }),
  });
}

export const plugin = definePlugin({
  name: 'acme-plugin',
  version: '1.0.0',
  core: '>=0.1.0 <1.0.0',
  configSchema: z.object({ suffix: z.string().max(3).default('!') }),
  setup(ctx) {
    ctx.models.registerProvider(acmeProvider);
    ctx.kernels.registerBackend(acmeKernels);
    ctx.pipelines.register(pipeline('acme.shout', shoutStep(ctx.config.suffix)));
  },
});
