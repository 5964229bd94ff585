import type { BoundaryLevel, Boundaries } from './boundaries.js';
import type { Measure } from './measure.js';

export interface Span {
  start: number;
  end: number;
}

export interface PackPlan {
  /** Levels tried for a chunk's end, best first; each entry is one rank (levels in it are equal). */
  cutLevels: BoundaryLevel[][];
  /** Levels tried for where the overlap starts, best first. */
  overlapLevels: BoundaryLevel[][];
  chunkSize: number;
  chunkOverlap: number;
  measure: Measure;
  /**
   * A coarse boundary is passed over for a finer one when cutting there would
   * add less than this share of (chunkSize - chunkOverlap) new text: it stops
   * a long sentence's tail from becoming a chunk of its own after the overlap.
   */
  minFill: number;
  /** Units of the first cut level are never broken while dropping the overlap could keep them whole. */
  wholeUnits: boolean;
}

/** Levels of one rank in (lo, hi], merged and sorted. */
function candidates(bounds: Boundaries, rank: BoundaryLevel[], anchor: number, lo: number, hi: number): number[] {
  if (rank.length === 1) return bounds.within(rank[0]!, anchor, lo, hi);
  return [...new Set(rank.flatMap((level) => bounds.within(level, anchor, lo, hi)))].sort((a, b) => a - b);
}

/** Index of the last candidate that still fits from `start` (sizes grow with the end). */
function lastFitting(plan: PackPlan, text: string, start: number, ends: number[]): number | undefined {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (plan.measure.size(text, start, ends[mid]!) <= plan.chunkSize) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : ends[lo - 1];
}

/** Index of the first candidate from which the stretch up to `end` fits in the overlap. */
function firstFitting(plan: PackPlan, text: string, starts: number[], end: number): number | undefined {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (plan.measure.size(text, starts[mid]!, end) <= plan.chunkOverlap) hi = mid;
    else lo = mid + 1;
  }
  return starts[lo];
}

/**
 * Where the next chunk starts so that it repeats about `chunkOverlap` of the
 * chunk [start, end): the earliest boundary of the best rank whose overlap is
 * at least half the target, else of the finest rank that has any.
 */
function overlapStart(plan: PackPlan, bounds: Boundaries, start: number, end: number): number {
  if (plan.chunkOverlap === 0) return end;
  let fallback = end;
  for (const rank of plan.overlapLevels) {
    const starts = candidates(bounds, rank, start, start, end - 1);
    const first = firstFitting(plan, bounds.text, starts, end);
    if (first === undefined) continue;
    if (plan.measure.size(bounds.text, first, end) * 2 >= plan.chunkOverlap) return first;
    if (fallback === end) fallback = first;
  }
  return fallback;
}

/**
 * Cuts [rangeStart, rangeEnd) into chunks of at most `chunkSize`, each ending
 * at the best boundary it can reach (the coarsest level present, as late as
 * possible; see `minFill`), each after the first starting inside its
 * predecessor. Every chunk ends past the previous one, so the chunks, less
 * their overlaps, are the range exactly. Only a single grapheme larger than chunkSize gives a bigger chunk.
 */
export function packSpans(bounds: Boundaries, plan: PackPlan, rangeStart: number, rangeEnd: number): Span[] {
  const { text } = bounds;
  const spans: Span[] = [];
  let start = rangeStart;
  let covered = rangeStart;
  while (covered < rangeEnd) {
    // Measured only when within reach: with a tokenizer, measuring the whole rest each time would be quadratic.
    const reach = plan.measure.reach(text, start, rangeEnd, plan.chunkSize);
    if (reach === rangeEnd && plan.measure.size(text, start, rangeEnd) <= plan.chunkSize) {
      spans.push({ start, end: rangeEnd });
      break;
    }
    const minNew = plan.minFill * (plan.chunkSize - plan.chunkOverlap);
    let cut: number | undefined;
    let fallback: number | undefined;
    let dropOverlap = false;
    for (const [rank, levels] of plan.cutLevels.entries()) {
      const found = lastFitting(plan, text, start, candidates(bounds, levels, start, covered, reach));
      if (found === undefined) {
        if (rank === 0 && plan.wholeUnits && start < covered) {
          dropOverlap = true;
          break;
        }
        continue;
      }
      if (plan.measure.size(text, covered, found) >= minNew) {
        cut = found;
        break;
      }
      fallback ??= found;
    }
    cut ??= fallback;
    // The overlap left no room for a whole unit (or even one grapheme): give it up for this chunk.
    if (dropOverlap || (cut === undefined && start < covered)) {
      start = covered;
      continue;
    }
    cut ??= bounds.nextGrapheme(covered);
    spans.push({ start, end: cut });
    start = cut < rangeEnd ? overlapStart(plan, bounds, start, cut) : cut;
    covered = cut;
  }
  return spans;
}
