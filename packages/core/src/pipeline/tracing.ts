import { isFerryError } from '../errors/ferry-error.js';

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

/** A finished span. Times are epoch milliseconds so traces from different runs line up. */
export interface SpanRecord {
  readonly id: string;
  /** The run the span belongs to (its run id). */
  readonly traceId: string;
  readonly parentId: string | undefined;
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly durationMs: number;
  readonly status: 'ok' | 'error';
  readonly error?: { readonly message: string; readonly code?: string };
  readonly attributes: Attributes;
}

/** A span still running: middleware annotates it, its owner ends it. */
export interface SpanHandle {
  readonly id: string;
  readonly traceId: string;
  readonly name: string;
  setAttributes(attributes: Attributes): void;
  /** Ends the span, with status `error` when given an error; ending twice keeps the first record. */
  end(error?: unknown): SpanRecord;
}

export interface TracerOptions {
  /** Epoch milliseconds; injectable so tests get exact durations. */
  clock?: () => number;
}

// performance.now() gives sub-millisecond durations; adding timeOrigin keeps starts comparable to Date.now().
const defaultClock = (): number => performance.timeOrigin + performance.now();

/**
 * Collects the spans of one or more runs. Each run gets its own tracer unless
 * the caller passes one, e.g. to keep the spans of a run that failed.
 */
export class Tracer {
  readonly now: () => number;
  private readonly finished: SpanRecord[] = [];
  private nextId = 1;

  constructor(options: TracerOptions = {}) {
    this.now = options.clock ?? defaultClock;
  }

  start(name: string, options: { traceId: string; parent?: SpanHandle; attributes?: Attributes }): SpanHandle {
    const id = String(this.nextId++);
    const start = this.now();
    const attributes: Attributes = { ...options.attributes };
    const parentId = options.parent?.id;
    let record: SpanRecord | undefined;
    return {
      id,
      traceId: options.traceId,
      name,
      setAttributes: (more) => {
        Object.assign(attributes, more);
      },
      end: (error) => {
        if (record) return record;
        const end = this.now();
        record = {
          id,
          traceId: options.traceId,
          parentId,
          name,
          start,
          end,
          durationMs: end - start,
          status: error === undefined ? 'ok' : 'error',
          ...(error === undefined ? {} : { error: describeError(error) }),
          attributes: { ...attributes },
        };
        this.finished.push(record);
        return record;
      },
    };
  }

  /** Finished spans, of one run when given its id, in start order. */
  spans(traceId?: string): SpanRecord[] {
    return this.finished
      .filter((span) => traceId === undefined || span.traceId === traceId)
      .sort((a, b) => a.start - b.start || Number(a.id) - Number(b.id));
  }
}

function describeError(error: unknown): { message: string; code?: string } {
  if (isFerryError(error)) return { message: error.message, code: error.code };
  return { message: error instanceof Error ? error.message : String(error) };
}
