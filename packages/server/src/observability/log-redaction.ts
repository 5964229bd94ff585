import type { Writable } from 'node:stream';
import { redact } from '@ferry/plugin-prompt';

const SECRET_HEADERS = ['authorization', 'x-api-key', 'cookie', 'set-cookie', 'proxy-authorization'];

/** Replaces PII and secrets in every string of a log record, however deep. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value).text;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_HEADERS.includes(k.toLowerCase()) ? '[REDACTED]' : redactDeep(v, depth + 1);
  }
  return out;
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
      log: (record: Record<string, unknown>) => redactDeep(record) as Record<string, unknown>,
    },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redact(a).text : a)));
      },
    },
  };
}
