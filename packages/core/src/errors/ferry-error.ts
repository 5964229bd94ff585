import type { ZodError } from 'zod';

/**
 * Stable, documented error codes. Callers (the CLI, HTTP servers, tests) switch
 * on the code, never on the message text, so messages can improve freely.
 */
export type FerryErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'PLUGIN_INVALID'
  | 'PLUGIN_DUPLICATE'
  | 'PLUGIN_MISSING_DEPENDENCY'
  | 'PLUGIN_VERSION_MISMATCH'
  | 'PLUGIN_CYCLE'
  | 'PLUGIN_LOAD_FAILED'
  | 'PLUGIN_SETUP_FAILED'
  | 'CORE_VERSION_MISMATCH'
  | 'MODEL_REF_INVALID'
  | 'MODEL_PROVIDER_UNKNOWN'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_TASK_UNSUPPORTED'
  | 'MODEL_DUPLICATE'
  | 'PROVIDER_HTTP_ERROR'
  | 'PROVIDER_TIMEOUT'
  | 'PROVIDER_BAD_RESPONSE'
  | 'KERNEL_NOT_FOUND'
  | 'KERNEL_BAD_INPUT'
  | 'KERNEL_BACKEND_INVALID'
  | 'TENSOR_SHAPE'
  | 'STEP_INPUT_INVALID'
  | 'STEP_OUTPUT_INVALID'
  | 'STEP_TIMEOUT'
  | 'PIPELINE_INVALID'
  | 'GUARD_REJECTED'
  | 'INPUT_INVALID';

export interface FerryErrorOptions {
  /** The plugin the error concerns, when there is one. */
  plugin?: string;
  /** Dotted path of the offending field (config key, schema path, argument). */
  field?: string;
  /** What to do about it, in one sentence a user can act on. */
  hint: string;
  cause?: unknown;
  /** Extra structured facts for logs and HTTP bodies. */
  details?: Record<string, unknown>;
}

export class FerryError extends Error {
  readonly code: FerryErrorCode;
  readonly plugin: string | undefined;
  readonly field: string | undefined;
  readonly hint: string;
  readonly details: Record<string, unknown> | undefined;
  /** What went wrong as the thrower said it, without the code, field and fix that `message` adds: to restate the error with another field and fix. */
  readonly summary: string;

  constructor(code: FerryErrorCode, message: string, options: FerryErrorOptions) {
    super(FerryError.compose(code, message, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FerryError';
    this.summary = message;
    this.code = code;
    this.plugin = options.plugin;
    this.field = options.field;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** JSON form for logs and HTTP error bodies. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      plugin: this.plugin,
      field: this.field,
      hint: this.hint,
      details: this.details,
    };
  }

  private static compose(code: FerryErrorCode, message: string, o: FerryErrorOptions): string {
    const where = [o.plugin ? `plugin "${o.plugin}"` : undefined, o.field ? `field "${o.field}"` : undefined]
      .filter(Boolean)
      .join(', ');
    return `[${code}] ${where ? `${where}: ` : ''}${message}\n  Fix: ${o.hint}`;
  }
}

export function isFerryError(value: unknown, code?: FerryErrorCode): value is FerryError {
  return value instanceof FerryError && (code === undefined || value.code === code);
}

/**
 * A FerryError saying a dependency (a vector store, a model endpoint behind a
 * circuit breaker) is down or not answering: `details.unavailable` names it.
 * Worth retrying later; @ferry/server answers it with 503.
 */
export function isDependencyUnavailable(value: unknown): boolean {
  return value instanceof FerryError && typeof value.details?.['unavailable'] === 'string';
}

/** Renders a zod path (`['plugins', 0, 'name']`) as `plugins[0].name`. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * Turns the first issue of a zod error into a FerryError that names the field
 * and says what was expected; the full issue list stays in `details`.
 */
export function fromZodError(
  code: FerryErrorCode,
  error: ZodError,
  context: { what: string; plugin?: string; fieldPrefix?: string; hint?: string },
): FerryError {
  const issues = error.issues.map((issue) => ({
    field: formatPath(issue.path, context.fieldPrefix ?? ''),
    message: issue.message,
  }));
  const first = issues[0] ?? { field: context.fieldPrefix ?? '', message: 'invalid value' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more: ${issues.slice(1).map((i) => `${i.field || '(root)'}: ${i.message}`).join('; ')})` : '';
  return new FerryError(code, `${context.what} is invalid: ${first.message}${more}`, {
    ...(context.plugin === undefined ? {} : { plugin: context.plugin }),
    field: first.field || undefined,
    hint:
      context.hint ??
      `Set "${first.field || '(root)'}" to a valid value: ${first.message.charAt(0).toLowerCase()}${first.message.slice(1)}.`,
    details: { issues },
    cause: error,
  } as FerryErrorOptions);
}
