/** The kinds of personal data and secrets `findPii` recognises. */
export type PiiType = 'email' | 'phone' | 'card' | 'cn-resident-id' | 'iban' | 'ip' | 'secret';

/** One finding; `start`/`end` are UTF-16 offsets into the scanned text, `end` exclusive. */
export interface PiiSpan {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}
