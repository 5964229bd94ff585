import type { MetadataValue } from '../documents/chunk.js';
import type { AnswerSource } from './answer-types.js';

const str = (v: MetadataValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The citation fields of a chunk's flat metadata (as ingest stores them). */
export function answerSource(n: number, chunk: { id: string; metadata: Record<string, MetadataValue> }): AnswerSource {
  const m = chunk.metadata;
  const title = str(m.title);
  const heading = str(m.heading);
  return {
    n,
    id: chunk.id,
    source: str(m.source) ?? chunk.id.replace(/#\d+$/, ''),
    ...(title === undefined ? {} : { title }),
    ...(typeof m.page === 'number' ? { page: m.page } : {}),
    ...(heading === undefined ? {} : { heading }),
  };
}

/** `handbook.md, p. 3, Setup > Install`: how a source is shown to the model and to people. */
export function sourceLabel(source: Omit<AnswerSource, 'n' | 'id'>): string {
  return [source.source, source.page === undefined ? undefined : `p. ${source.page}`, source.heading].filter(Boolean).join(', ');
}
