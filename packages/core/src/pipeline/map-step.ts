import { z } from 'zod';
import { FerryError } from '../errors/ferry-error.js';
import { buildStep } from './define-step.js';
import type { Step } from './define-step.js';

export interface MapStepOptions {
  /** Default `map(<step name>)`. */
  name?: string;
  description?: string;
  /** Elements in flight at once; default 4. */
  concurrency?: number;
}

/**
 * A step that runs `step` on each element of an array, `concurrency` at a
 * time, keeping order and reporting progress. The first failure aborts the
 * elements still running and fails the map; errors name the element, e.g. `[3].text`.
 */
export function mapStep<In extends z.ZodType, Out extends z.ZodType>(
  step: Step<In, Out>,
  options: MapStepOptions = {},
): Step<z.ZodArray<In>, z.ZodArray<Out>> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new FerryError('PIPELINE_INVALID', `mapStep concurrency must be a positive integer, got ${concurrency}`, {
      field: 'concurrency',
      hint: 'Set concurrency to how many elements may run at once, e.g. mapStep(step, { concurrency: 4 }).',
    });
  }
  const name = options.name ?? `map(${step.name})`;
  return buildStep({
    name,
    description: options.description ?? step.description,
    input: z.array(step.input),
    output: z.array(step.output),
    // The inner step validates each element; parsing the array here too would run transforms twice.
    validate: false,
    // Unvalidated, the handler's types are nominal: elements arrive raw and leave parsed by `step`.
    run: async (value, ctx) => {
      const items: unknown = value;
      if (!Array.isArray(items)) {
        throw new FerryError('STEP_INPUT_INVALID', `input of step "${name}" (pipeline "${ctx.pipeline}") must be an array, got ${typeof items}`, {
          hint: `Pass an array of what step "${step.name}" takes, e.g. have the step before return a list.`,
        });
      }
      const total = items.length;
      const results = new Array<z.output<Out>>(total);
      const controller = new AbortController();
      const signal = AbortSignal.any([ctx.signal, controller.signal]);
      const inner = ctx.withSignal(signal);
      let nextIndex = 0;
      let done = 0;
      let failure: { error: unknown } | undefined;
      const worker = async (): Promise<void> => {
        while (!failure && !signal.aborted && nextIndex < total) {
          const index = nextIndex++;
          try {
            results[index] = await step.invoke(items[index] as z.input<In>, inner, { fieldPrefix: `[${index}]` });
            ctx.emit({ current: ++done, total });
          } catch (error) {
            failure ??= { error };
            controller.abort(error);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
      if (failure) throw failure.error;
      ctx.signal.throwIfAborted();
      return results as Array<z.input<Out>>;
    },
    layers: [],
  });
}
