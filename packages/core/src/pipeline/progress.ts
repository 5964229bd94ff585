/**
 * Structured events of a run, delivered to the `onEvent` listener of `run`.
 * Events without `step` concern the pipeline as a whole. `at` is epoch ms.
 */
export type PipelineEvent =
  | {
      readonly type: 'start';
      readonly pipeline: string;
      readonly runId: string;
      readonly step?: string;
      /** Position of the step in the pipeline (0-based) and the number of steps. */
      readonly index?: number;
      readonly steps?: number;
      readonly at: number;
    }
  | ({
      readonly type: 'progress';
      readonly pipeline: string;
      readonly runId: string;
      readonly step: string;
      readonly at: number;
    } & ProgressUpdate)
  | {
      readonly type: 'end';
      readonly pipeline: string;
      readonly runId: string;
      readonly step?: string;
      readonly durationMs: number;
      readonly at: number;
    }
  | {
      readonly type: 'error';
      readonly pipeline: string;
      readonly runId: string;
      readonly step?: string;
      readonly durationMs: number;
      readonly error: { readonly message: string; readonly code?: string };
      readonly at: number;
    };

/** What a step reports through `ctx.emit`; the context adds pipeline, step, run id and time. */
export interface ProgressUpdate {
  readonly current: number;
  readonly total?: number;
  readonly message?: string;
}

/** Called synchronously; a listener that throws fails the run, so keep it simple. */
export type PipelineEventListener = (event: PipelineEvent) => void;
