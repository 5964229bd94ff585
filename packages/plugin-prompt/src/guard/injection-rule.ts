export type InjectionSource = 'user' | 'document';

/** A pattern typical of one attack family; `weight` is how sure a hit alone makes us, 0..1. */
export interface InjectionRule {
  readonly id: string;
  readonly weight: number;
  readonly pattern: RegExp;
  /** Only scan text from these sources (instructions addressed to the AI are normal in a chat, not in a PDF). */
  readonly sources?: readonly InjectionSource[];
}

export interface InjectionReason {
  readonly rule: string;
  /** The matched text, prefixed with the encoding when it was found in a decoded payload. */
  readonly evidence: string;
  readonly weight: number;
}
