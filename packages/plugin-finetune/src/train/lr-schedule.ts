import { z } from 'zod';
import { finetuneError } from '../finetune-error.js';

export const lrScheduleSchema = z
  .object({
    kind: z.enum(['linear', 'cosine', 'constant']).default('linear'),
    /** Peak learning rate, reached at the end of warmup. */
    lr: z.number().positive(),
    /** Optimizer steps of the whole run. */
    totalSteps: z.number().int().positive(),
    /** Fraction of totalSteps spent warming up; warmup steps = ceil(ratio * total), as transformers' TrainingArguments. */
    warmupRatio: z.number().min(0).max(1).default(0),
    /** Overrides warmupRatio when given. */
    warmupSteps: z.number().int().min(0).optional(),
  })
  .strict();

export type LrScheduleInput = z.input<typeof lrScheduleSchema>;
export type LrSchedule = z.output<typeof lrScheduleSchema>;

export function parseLrSchedule(input: unknown): LrSchedule {
  const parsed = lrScheduleSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw finetuneError(`schedule.${issue?.path.join('.') ?? ''}`, `invalid learning-rate schedule: ${issue?.message ?? ''}`, 'Give lr > 0, totalSteps >= 1, kind linear | cosine | constant and warmupRatio in [0, 1].', { code: 'CONFIG_INVALID' });
}

export function warmupSteps(schedule: LrSchedule): number {
  return schedule.warmupSteps ?? Math.ceil(schedule.totalSteps * schedule.warmupRatio);
}

/**
 * Learning rate of the optimizer step that follows `step` completed steps
 * (0-based), the value torch's LambdaLR gives before the step-th
 * `scheduler.step()`: transformers' get_linear_schedule_with_warmup,
 * get_cosine_schedule_with_warmup (num_cycles 0.5) and
 * get_constant_schedule_with_warmup.
 */
export function learningRateAt(schedule: LrSchedule, step: number): number {
  const warmup = warmupSteps(schedule);
  const total = schedule.totalSteps;
  if (step < warmup) return (schedule.lr * step) / Math.max(1, warmup);
  if (schedule.kind === 'constant') return schedule.lr;
  if (schedule.kind === 'linear') return schedule.lr * Math.max(0, (total - step) / Math.max(1, total - warmup));
  const progress = (step - warmup) / Math.max(1, total - warmup);
  return schedule.lr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * progress)));
}
