import { isIPv6 } from 'node:net';
import { isValidIban, isValidResidentId, passesLuhn, shannonEntropy } from './checksums.js';
import type { PiiType } from './pii-span.js';

/** A regex finds candidates; `validate` drops the ones a checksum or format rule rejects. */
export interface PiiDetector {
  readonly type: PiiType;
  readonly pattern: RegExp;
  readonly validate?: (match: string) => boolean;
}

const digitsOnly = (s: string): string => s.replace(/\D/g, '');
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

// `\w` is ASCII-only without the `u` flag, so CJK text around a number does not block a match.
export const PII_DETECTORS: readonly PiiDetector[] = [
  // Starting only where a run of local-part characters starts keeps long base64 runs linear.
  { type: 'email', pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  // International form: a leading + and 8 to 15 digits (E.164), separators allowed.
  { type: 'phone', pattern: /(?<![\w+])\+[1-9](?:[ .-]?\(?\d\)?){7,14}(?![\w])/g },
  // Mainland China mobiles, optionally prefixed with 86.
  { type: 'phone', pattern: /(?<![\w+])(?:86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\w)/g },
  // North American numbers need punctuation, so bare 10-digit order numbers stay untouched.
  {
    type: 'phone',
    pattern: /(?<![\w+])(?:1[ .-]?)?(?:\([2-9]\d{2}\)[ ]?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}(?!\w)/g,
  },
  // Ahead of cards: an 18-digit ID can pass Luhn too, and the birth date plus check character is the stronger evidence.
  { type: 'cn-resident-id', pattern: /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g, validate: isValidResidentId },
  // Issuer numbers start with 2 to 6; that alone spares timestamps and most order numbers that happen to pass Luhn.
  {
    type: 'card',
    pattern: /(?<![\d-])[2-6](?:[ -]?\d){12,18}(?![\d])/g,
    validate: (m) => {
      const d = digitsOnly(m);
      return d.length >= 13 && d.length <= 19 && passesLuhn(d);
    },
  },
  {
    type: 'iban',
    pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g,
    validate: isValidIban,
  },
  { type: 'ip', pattern: new RegExp(`(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?![\\d]|\\.\\d)`, 'g') },
  { type: 'ip', pattern: /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g, validate: (m) => isIPv6(m) },
  { type: 'secret', pattern: /(?<![\w-])sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g },
  { type: 'secret', pattern: /(?<!\w)gh[pousr]_[A-Za-z0-9]{36,}/g },
  { type: 'secret', pattern: /(?<!\w)xox[bap]-[A-Za-z0-9-]{10,}/g },
  { type: 'secret', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])/g },
  { type: 'secret', pattern: /(?<![\w-])eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g },
  // The token only, so "Authorization: Bearer [SECRET]" still reads as a header.
  { type: 'secret', pattern: /(?<=\bBearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g },
  {
    type: 'secret',
    pattern:
      /(?<=\b(?:api[_-]?key|apikey|secret|client[_-]?secret|token|access[_-]?token|auth[_-]?token|password|passwd|key)["']?\s*[:=]\s*["']?)[A-Za-z0-9_\-./+=]{12,}/gi,
    validate: (m) => shannonEntropy(m) >= 3.2,
  },
];
