import { z } from 'zod';

export const earlyStoppingSchema = z
  .object({
    /** Name of the evaluation metric watched, e.g. `loss` or `weightedF1`. */
    metric: z.string().min(1),
    mode: z.enum(['min', 'max']),
    /** Evaluations without improvement tolerated before stopping. */
    patience: z.number().int().positive(),
    /** An improvement smaller than this does not count. */
    minDelta: z.number().min(0).default(0),
  })
  .strict();

export type EarlyStoppingConfigInput = z.input<typeof earlyStoppingSchema>;
export type EarlyStoppingConfig = z.output<typeof earlyStoppingSchema>;

export interface EarlyStoppingState {
  best: number | null;
  bestStep: number | null;
  badEvaluations: number;
}

/** transformers' EarlyStoppingCallback: stop after `patience` evaluations in a row that fail to beat the best by minDelta. */
export class EarlyStopping {
  readonly config: EarlyStoppingConfig;
  private state: EarlyStoppingState = { best: null, bestStep: null, badEvaluations: 0 };

  constructor(config: EarlyStoppingConfigInput) {
    this.config = earlyStoppingSchema.parse(config);
  }

  /** Records one evaluation; `stop` says whether training should end now. */
  update(value: number, step: number): { improved: boolean; stop: boolean } {
    const { best } = this.state;
    const { mode, minDelta, patience } = this.config;
    const improved = best === null || (mode === 'max' ? value > best + minDelta : value < best - minDelta);
    if (improved) this.state = { best: value, bestStep: step, badEvaluations: 0 };
    else this.state.badEvaluations++;
    return { improved, stop: this.state.badEvaluations >= patience };
  }

  getState(): EarlyStoppingState {
    return { ...this.state };
  }

  setState(state: EarlyStoppingState): void {
    this.state = { ...state };
  }
}
