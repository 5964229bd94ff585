import { Tensor, type KernelOps } from '@ferry/core';
import { z } from 'zod';
import { finetuneError } from '../finetune-error.js';

export const adamwConfigSchema = z
  .object({
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    eps: z.number().positive().default(1e-8),
    /** Decoupled weight decay; transformers' Trainer default is 0. */
    weightDecay: z.number().min(0).default(0),
  })
  .strict();

export type AdamWConfigInput = z.input<typeof adamwConfigSchema>;
export type AdamWConfig = z.output<typeof adamwConfigSchema>;

/** What a checkpoint keeps of the optimizer: the step count and both moments of every parameter. */
export interface AdamWState {
  step: number;
  m: Map<string, Tensor<'f32'>>;
  v: Map<string, Tensor<'f32'>>;
}

/**
 * AdamW over named trainable parameters, each update done by the registry's
 * `adamw` kernel (in place on param, m and v).
 */
export class AdamWOptimizer {
  readonly config: AdamWConfig;
  private state: AdamWState;

  constructor(
    private readonly kernels: KernelOps,
    readonly params: ReadonlyMap<string, Tensor<'f32'>>,
    config: AdamWConfigInput = {},
  ) {
    const parsed = adamwConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw finetuneError(`optimizer.${issue?.path.join('.') ?? ''}`, `invalid AdamW config: ${issue?.message ?? ''}`, 'Use betas in [0, 1), eps > 0 and weightDecay >= 0.', { code: 'CONFIG_INVALID' });
    }
    this.config = parsed.data;
    const zeros = (): Map<string, Tensor<'f32'>> => new Map([...params].map(([name, p]) => [name, Tensor.zeros(p.shape, 'f32')]));
    this.state = { step: 0, m: zeros(), v: zeros() };
  }

  get step(): number {
    return this.state.step;
  }

  /** One update of every parameter that has a gradient, at learning rate `lr`. */
  async update(grads: ReadonlyMap<string, Tensor<'f32'>>, lr: number): Promise<void> {
    const step = this.state.step + 1;
    for (const [name, param] of this.params) {
      const grad = grads.get(name);
      if (grad === undefined) continue;
      await this.kernels.adamw(param, grad, this.state.m.get(name)!, this.state.v.get(name)!, {
        lr,
        beta1: this.config.beta1,
        beta2: this.config.beta2,
        eps: this.config.eps,
        weightDecay: this.config.weightDecay,
        step,
      });
    }
    this.state.step = step;
  }

  getState(): AdamWState {
    return this.state;
  }

  /** Restores moments saved by getState (copied in, so the caller's tensors stay its own). */
  setState(state: AdamWState): void {
    for (const name of this.params.keys()) {
      for (const [kind, moments] of [['m', state.m], ['v', state.v]] as const) {
        const saved = moments.get(name);
        const own = this.state[kind].get(name)!;
        if (saved === undefined || saved.size !== own.size) {
          throw finetuneError(`optimizer.${kind}.${name}`, `the checkpoint has no ${kind} moment of the right size for "${name}"`, 'Resume with the same trainable parameters (LoRA config) the checkpoint was written with.');
        }
        own.data.set(saved.data);
      }
    }
    this.state.step = state.step;
  }
}
