import { FerryError } from '../errors/ferry-error.js';
import type { PipelineEventListener, ProgressUpdate } from './progress.js';
import type { Attributes, SpanHandle, Tracer } from './tracing.js';

/** What a step's `run` (and any middleware) sees of the run it is part of. */
export interface StepContext {
  readonly pipeline: string;
  readonly runId: string;
  /** The step being run. */
  readonly step: string;
  /** Aborted when the run is cancelled or a timeout fires; pass it to fetches and model calls. */
  readonly signal: AbortSignal;
  /** Shared by all steps of one run, for what does not belong in the data flowing between them. */
  readonly state: Map<string, unknown>;
  /** Reports progress of the current step to the run's `onEvent` listener. */
  emit(update: ProgressUpdate): void;
  /** Runs `fn` inside a child span of the current one; `fn` gets a context whose spans nest under it. */
  span<T>(name: string, fn: (ctx: StepContext) => Promise<T> | T, attributes?: Attributes): Promise<T>;
  /** Annotates the current span (cache hit, attempts, batch size...). */
  setAttributes(attributes: Attributes): void;
  /** The same context with another signal: for middleware that cancels work it wraps (timeout, map). */
  withSignal(signal: AbortSignal): StepContext;
}

export interface RunScope {
  readonly pipeline: string;
  readonly runId: string;
  readonly tracer: Tracer;
  readonly state: Map<string, unknown>;
  readonly onEvent: PipelineEventListener | undefined;
}

interface Frame {
  readonly scope: RunScope;
  readonly step: string;
  readonly signal: AbortSignal;
  readonly span: SpanHandle;
}

// Contexts are plain objects so middleware can pass them around freely; their
// frame stays here so nobody can fake a span parent or a run scope.
const frames = new WeakMap<StepContext, Frame>();

export function createContext(scope: RunScope, step: string, signal: AbortSignal, span: SpanHandle): StepContext {
  return fromFrame({ scope, step, signal, span });
}

function fromFrame(frame: Frame): StepContext {
  const { scope } = frame;
  const ctx: StepContext = {
    pipeline: scope.pipeline,
    runId: scope.runId,
    step: frame.step,
    signal: frame.signal,
    state: scope.state,
    emit: (update) => {
      scope.onEvent?.({
        type: 'progress',
        pipeline: scope.pipeline,
        runId: scope.runId,
        step: frame.step,
        current: update.current,
        ...(update.total === undefined ? {} : { total: update.total }),
        ...(update.message === undefined ? {} : { message: update.message }),
        at: Date.now(),
      });
    },
    span: (name, fn, attributes) => enterSpan(ctx, name, fn, { ...(attributes === undefined ? {} : { attributes }) }),
    setAttributes: (attributes) => frame.span.setAttributes(attributes),
    withSignal: (signal) => fromFrame({ ...frame, signal }),
  };
  frames.set(ctx, frame);
  return ctx;
}

/**
 * Runs `fn` in a child span of `parent`'s span; with `step`, the child context
 * reports as that step (how a step invocation starts).
 */
export async function enterSpan<T>(
  parent: StepContext,
  name: string,
  fn: (ctx: StepContext) => Promise<T> | T,
  options: { step?: string; attributes?: Attributes } = {},
): Promise<T> {
  const frame = frames.get(parent);
  if (!frame) {
    throw new FerryError('PIPELINE_INVALID', `step "${name}" was given a context that no pipeline run created`, {
      field: 'ctx',
      hint: 'Run steps through a pipeline (pipeline(name, step).run(input)), or pass on the ctx your own step received.',
    });
  }
  const span = frame.scope.tracer.start(name, {
    traceId: frame.scope.runId,
    parent: frame.span,
    ...(options.attributes === undefined ? {} : { attributes: options.attributes }),
  });
  const child = fromFrame({ ...frame, step: options.step ?? frame.step, span });
  try {
    const result = await fn(child);
    span.end();
    return result;
  } catch (error) {
    span.end(error);
    throw error;
  }
}
