import type { Chunk, LoadedDocument } from '../documents/chunk.js';
import { Boundaries, type BoundaryLevel } from './boundaries.js';
import { markdownSections } from './markdown-sections.js';
import { characterMeasure, tokenMeasure } from './measure.js';
import { packSpans, type PackPlan, type Span } from './pack-spans.js';
import { resolveSplitOptions, type ResolvedSplitOptions, type SplitOptions, type SplitStrategy } from './split-options.js';

/** Loaders that write headings as markdown `#` lines. */
const HEADED_TYPES = new Set(['md', 'html', 'docx']);

const RECURSIVE: BoundaryLevel[][] = [['paragraph'], ['line'], ['sentence'], ['space'], ['word'], ['grapheme']];
const SENTENCES: BoundaryLevel[][] = [['paragraph', 'line', 'sentence'], ['space'], ['word'], ['grapheme']];
/** Overlap prefers to start at a sentence (of any coarseness), then a word, then a grapheme. */
const OVERLAP: BoundaryLevel[][] = [['paragraph', 'line', 'sentence'], ['space'], ['word'], ['grapheme']];

function strategyFor(doc: LoadedDocument, options: ResolvedSplitOptions): SplitStrategy {
  return options.strategy ?? (HEADED_TYPES.has(doc.metadata.type) ? 'markdown' : 'recursive');
}

function planFor(strategy: SplitStrategy, options: ResolvedSplitOptions): PackPlan {
  const sentence = strategy === 'sentence';
  return {
    cutLevels: sentence ? SENTENCES : RECURSIVE,
    // Sentence chunks repeat whole sentences or nothing.
    overlapLevels: sentence ? [OVERLAP[0]!] : OVERLAP,
    minFill: sentence ? 0 : 0.25,
    wholeUnits: sentence,
    chunkSize: options.chunkSize,
    chunkOverlap: options.chunkOverlap,
    measure: options.tokenizer ? tokenMeasure(options.tokenizer) : characterMeasure,
  };
}

function chunksOf(doc: LoadedDocument, options: ResolvedSplitOptions, firstIndex: number): Chunk[] {
  const { text } = doc;
  if (text.trim() === '') return [];
  const strategy = strategyFor(doc, options);
  const plan = planFor(strategy, options);
  const bounds = new Boundaries(text);
  const pieces: Array<Span & { headingPath?: string[] }> =
    strategy === 'markdown'
      ? markdownSections(text).flatMap((section) =>
          packSpans(bounds, plan, section.start, section.end).map((span) => ({ ...span, headingPath: section.headingPath })),
        )
      : packSpans(bounds, plan, 0, text.length);
  const chunks: Chunk[] = [];
  for (const piece of pieces) {
    const pieceText = text.slice(piece.start, piece.end);
    // Only a run of blank space longer than a chunk can give one of these.
    if (pieceText.trim() === '') continue;
    const headingPath = [...(doc.metadata.headingPath ?? []), ...(piece.headingPath ?? [])];
    const index = firstIndex + chunks.length;
    chunks.push({
      id: `${doc.metadata.source}#${index}`,
      text: pieceText,
      metadata: {
        ...doc.metadata,
        ...(headingPath.length > 0 ? { headingPath } : {}),
        chunkIndex: index,
        start: piece.start,
        end: piece.end,
      },
    });
  }
  return chunks;
}

/**
 * Splits one document into chunks numbered from 0. For sources that load as
 * several documents (pdf pages, csv rows) use `splitDocuments`, which keeps
 * numbering the chunks of a source across its documents.
 */
export function splitDocument(doc: LoadedDocument, options?: SplitOptions): Chunk[] {
  return chunksOf(doc, resolveSplitOptions(options), 0);
}

/** Splits documents in order; chunk indices (and ids) run on across the documents of one source. */
export function splitDocuments(docs: readonly LoadedDocument[], options?: SplitOptions): Chunk[] {
  const resolved = resolveSplitOptions(options);
  const next = new Map<string, number>();
  const out: Chunk[] = [];
  for (const doc of docs) {
    const chunks = chunksOf(doc, resolved, next.get(doc.metadata.source) ?? 0);
    next.set(doc.metadata.source, (next.get(doc.metadata.source) ?? 0) + chunks.length);
    out.push(...chunks);
  }
  return out;
}
