import { randomUUID } from 'node:crypto';
import { FerryError, isFerryError } from '../errors/ferry-error.js';
import type { AnyStep, StepInput, StepOutput } from './define-step.js';
import type { PipelineEvent, PipelineEventListener } from './progress.js';
import { createContext } from './step-context.js';
import type { RunScope } from './step-context.js';
import { Tracer } from './tracing.js';
import type { SpanRecord } from './tracing.js';

// A type alias, not an interface: the plugin registry takes `Record<string, unknown>` options.
export type RunOptions = {
  signal?: AbortSignal;
  onEvent?: PipelineEventListener;
  /** Collects the spans; pass one to keep the spans of a run that fails. */
  tracer?: Tracer;
  /** Defaults to a random UUID; set it to correlate with a request id. */
  runId?: string;
};

export interface PipelineResult<O> {
  readonly output: O;
  readonly runId: string;
  /** The run's spans in start order: the pipeline, its steps, and what they nested. */
  readonly trace: SpanRecord[];
}

export interface Pipeline<I, O> {
  readonly name: string;
  readonly description: string | undefined;
  readonly steps: readonly AnyStep[];
  run(input: I, options?: RunOptions): Promise<PipelineResult<O>>;
}

/** Placed where a step does not accept what the step before returns, so the compiler points at it. */
export interface ChainMismatch<Previous, Next> {
  readonly 'this step does not accept the output of the step before': {
    readonly previousOutput: StepOutput<Previous>;
    readonly thisInput: StepInput<Next>;
  };
}

/** `S` with every step whose input does not accept its predecessor's output replaced by a `ChainMismatch`. */
export type CheckChain<S extends readonly unknown[], Previous = never> = S extends readonly [
  infer Head,
  ...infer Rest,
]
  ? [
      [Previous] extends [never]
        ? Head
        : [StepOutput<Previous>] extends [StepInput<Head>]
          ? Head
          : ChainMismatch<Previous, Head>,
      ...CheckChain<Rest, Head>,
    ]
  : [];

type Last<S extends readonly unknown[]> = S extends readonly [...unknown[], infer L] ? L : never;

export type PipelineOf<S extends readonly AnyStep[]> = Pipeline<StepInput<S[0]>, StepOutput<Last<S>>>;

export interface PipelineDefinition<S extends readonly AnyStep[]> {
  name: string;
  description?: string;
  steps: S & CheckChain<S>;
}

/** `pipeline('ingest', load, split, embed)`: each step's output is the next one's input. */
export function pipeline<const S extends readonly [AnyStep, ...AnyStep[]]>(
  name: string,
  ...steps: S & CheckChain<S>
): PipelineOf<S> {
  return definePipeline<S>({ name, steps });
}

export function definePipeline<const S extends readonly [AnyStep, ...AnyStep[]]>(definition: PipelineDefinition<S>): PipelineOf<S> {
  const { name, description } = definition;
  const steps: readonly AnyStep[] = [...definition.steps];
  checkSteps(name, steps);
  return {
    name,
    description,
    steps,
    run: async (input, options = {}) => {
      const runId = options.runId ?? randomUUID();
      const tracer = options.tracer ?? new Tracer();
      const scope: RunScope = { pipeline: name, runId, tracer, state: new Map(), onEvent: options.onEvent };
      const signal = options.signal ?? new AbortController().signal;
      const output = await track(scope, {}, () => runSteps(scope, steps, input, signal));
      return { output: output as StepOutput<Last<S>>, runId, trace: tracer.spans(runId) };
    },
  };
}

async function runSteps(scope: RunScope, steps: readonly AnyStep[], input: unknown, signal: AbortSignal): Promise<unknown> {
  const root = scope.tracer.start(scope.pipeline, { traceId: scope.runId, attributes: { runId: scope.runId } });
  const ctx = createContext(scope, scope.pipeline, signal, root);
  try {
    let value = input;
    let previous: AnyStep | undefined;
    for (const [index, step] of steps.entries()) {
      signal.throwIfAborted();
      const current = value;
      const after = previous;
      value = await track(scope, { step: step.name, index, steps: steps.length }, () =>
        step.invoke(current, ctx, after === undefined ? {} : { producedBy: after.name, parsedBy: after.output }),
      );
      previous = step;
    }
    root.end();
    return value;
  } catch (error) {
    root.end(error);
    throw error;
  }
}

/** Emits start, then end or error, around `fn`. */
async function track<T>(
  scope: RunScope,
  where: { step?: string; index?: number; steps?: number },
  fn: () => Promise<T>,
): Promise<T> {
  const listener = scope.onEvent;
  // Most runs (an HTTP request) have no listener: no events to build.
  if (!listener) return fn();
  const base = { pipeline: scope.pipeline, runId: scope.runId, ...(where.step === undefined ? {} : { step: where.step }) };
  const emit = (event: PipelineEvent): void => listener(event);
  const started = scope.tracer.now();
  emit({ type: 'start', ...base, ...(where.index === undefined ? {} : { index: where.index, steps: where.steps }), at: Date.now() });
  try {
    const result = await fn();
    emit({ type: 'end', ...base, durationMs: scope.tracer.now() - started, at: Date.now() });
    return result;
  } catch (error) {
    const described = isFerryError(error)
      ? { message: error.message, code: error.code }
      : { message: error instanceof Error ? error.message : String(error) };
    emit({ type: 'error', ...base, durationMs: scope.tracer.now() - started, error: described, at: Date.now() });
    throw error;
  }
}

function checkSteps(name: string, steps: readonly unknown[]): void {
  const fail = (field: string, message: string, hint: string): never => {
    throw new FerryError('PIPELINE_INVALID', `pipeline "${name}": ${message}`, { field, hint });
  };
  if (typeof name !== 'string' || name.trim() === '') {
    fail('name', 'a pipeline needs a non-empty name', 'Name it after what it does, prefixed by your plugin, e.g. "rag.ingest".');
  }
  if (steps.length === 0) {
    fail('steps', 'has no steps', 'Pass at least one step made with defineStep, e.g. pipeline("rag.ingest", load, split, embed).');
  }
  const seen = new Map<string, number>();
  for (const [index, step] of steps.entries()) {
    if (typeof (step as AnyStep | undefined)?.invoke !== 'function') {
      fail(`steps[${index}]`, `steps[${index}] is not a step`, 'Make each step with defineStep({ name, input, output, run }) or mapStep(step).');
    }
    const stepName = (step as AnyStep).name;
    const first = seen.get(stepName);
    if (first !== undefined) {
      fail(
        `steps[${index}].name`,
        `steps[${first}] and steps[${index}] are both named "${stepName}"`,
        'Step names identify steps in traces, progress and errors: rename one of them.',
      );
    }
    seen.set(stepName, index);
  }
}
