import type { Writable } from 'node:stream';
import { redact } from '@ferry/plugin-prompt';

/** Ferry's own API keys (`fy_<id>_<secret>`), which the generic secret patterns do not know. */
const FERRY_KEY = /fy_[A-Za-z0-9-]{1,64}_[A-Za-z0-9_-]{16,}/g;

/** PII and secrets out of one string: the prompt package's patterns, then Ferry's key format. */
export function redactText(text: string): string {
  return redact(text).text.replace(FERRY_KEY, '[API_KEY]');
}

const SECRET_HEADERS = ['authorization', 'x-api-key', 'cookie', 'set-cookie', 'proxy-authorization'];

/** Replaces PII and secrets in every string of a log record, however deep. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_HEADERS.includes(k.toLowerCase()) ? '[REDACTED]' : redactDeep(v, depth + 1);
  }
  return out;
}

/**
 * The formatter sees records before pino's serializers, and a request, reply or
 * Error has no enumerable fields to redact; without this they were logged as `{}`.
 */
function serializeKnown(record: Record<string, unknown>): Record<string, unknown> {
  const out = { ...record };
  const req = record.req as { method?: unknown; url?: unknown; ip?: unknown } | undefined;
  if (req && typeof req === 'object' && typeof req.method === 'string') out.req = { method: req.method, url: typeof req.url === 'string' ? decodedUrl(req.url) : req.url, remoteAddress: req.ip };
  const res = record.res as { statusCode?: unknown } | undefined;
  if (res && typeof res === 'object' && typeof res.statusCode === 'number') out.res = { statusCode: res.statusCode };
  for (const key of ['err', 'error']) {
    const err = record[key];
    if (err instanceof Error) out[key] = { type: err.name, message: err.message, stack: err.stack, ...('code' in err ? { code: err.code } : {}) };
  }
  return out;
}

/** Percent-decoded, so "li.wei%40example.cn" in a URL is seen (and redacted) as an email. */
function decodedUrl(url: string): string {
  try {
    return decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    return url.replace(/%[0-9A-Fa-f]{2}/g, (h) => String.fromCharCode(parseInt(h.slice(1), 16)));
  }
}

export interface LoggerSettings {
  level: string;
  /** Where JSON lines go; stdout when absent. */
  stream?: Writable | undefined;
}

/**
 * Pino options for fastify: structured JSON, with @ferry/plugin-prompt's PII
 * and secret redaction applied to the message and every field, so an email
 * in a URL or an API key in an error message never reaches the log.
 */
export function loggerOptions(settings: LoggerSettings): Record<string, unknown> {
  return {
    level: settings.level,
    ...(settings.stream ? { stream: settings.stream } : {}),
    formatters: {
      log: (record: Record<string, unknown>) => redactDeep(serializeKnown(record)) as Record<string, unknown>,
    },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)));
      },
    },
  };
}
