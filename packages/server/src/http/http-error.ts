import { FerryError, formatPath, isDependencyUnavailable, isFerryError, type FerryErrorCode } from '@ferry/core';
import type { ZodError } from 'zod';

/** The one error body every Ferry server route answers with. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; hint?: string; requestId?: string };
}

/**
 * An error that already knows its HTTP status. Route handlers throw it (or a
 * FerryError, mapped below) and the server's error handler renders the body.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Turns the first issue of a failed body/query parse into a 400 naming the field. */
export function badRequestFromZod(error: ZodError, where: 'body' | 'query' | 'params'): HttpError {
  const first = error.issues[0];
  const field = first ? formatPath(first.path, where) : where;
  const message = first ? first.message : 'invalid value';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new HttpError(400, 'INPUT_INVALID', `${field}: ${message}${more}`, `Fix "${field}" in the request ${where} and send it again.`, field);
}

const STATUS_BY_CODE: Partial<Record<FerryErrorCode, number>> = {
  INPUT_INVALID: 400,
  STEP_INPUT_INVALID: 400,
  MODEL_REF_INVALID: 400,
  MODEL_TASK_UNSUPPORTED: 400,
  MODEL_NOT_FOUND: 404,
  MODEL_PROVIDER_UNKNOWN: 404,
  GUARD_REJECTED: 422,
  PROVIDER_HTTP_ERROR: 502,
  PROVIDER_BAD_RESPONSE: 502,
  PROVIDER_TIMEOUT: 504,
  STEP_TIMEOUT: 504,
};

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
}

/**
 * Maps anything thrown inside a request to a status and a body. Unknown
 * errors become a bare 500: their messages may carry internals, so they go
 * to the log only.
 */
export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const withId = (e: ErrorBody['error']): ErrorBody => ({ error: { ...e, requestId } });
  if (error instanceof HttpError) {
    return {
      status: error.statusCode,
      body: withId({ code: error.code, message: error.message, ...opt('field', error.field), ...opt('hint', error.hint) }),
      headers: error.headers,
    };
  }
  if (isFerryError(error)) {
    if (error.details?.store !== undefined) {
      return { status: 503, body: withId({ code: 'SESSION_STORE_UNAVAILABLE', message: firstLine(error), hint: 'Retry shortly; the operator has been told by the log.' }), headers: { 'retry-after': '1' } };
    }
    if (isDependencyUnavailable(error)) return unavailable(error, withId);
    const status = STATUS_BY_CODE[error.code] ?? 500;
    if (status === 500) return internal(requestId);
    return { status, body: withId({ code: error.code, message: firstLine(error), ...opt('field', error.field), hint: error.hint }), headers: {} };
  }
  const fe = error as FastifyLikeError;
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: withId(fastifyClientError(fe)), headers: {} };
  }
  return internal(requestId);
}

function fastifyClientError(e: FastifyLikeError): ErrorBody['error'] {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'BODY_TOO_LARGE', message: 'the request body is larger than this server accepts', field: 'body', hint: 'Send a smaller body; the limit is set by the server\'s bodyLimit option.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: e.message, hint: 'Send the body as JSON with "content-type: application/json".' };
    case 'FST_ERR_BAD_URL':
      return { code: 'INPUT_INVALID', message: 'the URL is not valid: a "%" must be followed by two hex digits', field: 'url', hint: 'Percent-encode the path and query string (encodeURIComponent).' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'INPUT_INVALID', message: 'the JSON body is empty', field: 'body', hint: 'Send a JSON object, or drop the content-type header when there is no body.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'INPUT_INVALID', message: e.message, field: 'body', hint: 'Send a well-formed JSON body.' };
    default:
      // Secure JSON parsing rejects __proto__/constructor keys with a SyntaxError carrying statusCode 400.
      return { code: 'INPUT_INVALID', message: e.message, field: 'body', hint: 'Send a well-formed JSON body without "__proto__" or "constructor.prototype" keys.' };
  }
}

/**
 * A dependency the request needs is down (vector store unreachable, a model
 * behind an open circuit breaker): 503 with the reason, and Retry-After from
 * `details.retryAfterMs` when the thrower knows when to come back.
 */
function unavailable(error: FerryError, withId: (e: ErrorBody['error']) => ErrorBody): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const retryAfterMs = error.details?.retryAfterMs;
  const seconds = typeof retryAfterMs === 'number' && retryAfterMs > 0 ? Math.ceil(retryAfterMs / 1000) : 1;
  return {
    status: 503,
    body: withId({ code: 'DEPENDENCY_UNAVAILABLE', message: firstLine(error), hint: `Retry in ${seconds} s: ${String(error.details?.unavailable)} is unavailable; the service recovers by itself once it is back.` }),
    headers: { 'retry-after': String(seconds) },
  };
}

function internal(requestId: string): { status: number; body: ErrorBody; headers: Record<string, string> } {
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'internal server error', hint: `Report the request id ${requestId} to the operator; details are in the server log.`, requestId } },
    headers: {},
  };
}

function firstLine(error: FerryError): string {
  // FerryError messages end with a "Fix:" line that duplicates `hint`.
  return error.message.split('\n')[0] ?? error.message;
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
