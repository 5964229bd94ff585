import { isFerryError } from '@ferry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetadataValue } from '../documents/chunk.js';
import type { MetadataFilter, VectorCollection, VectorRecord, VectorStore } from './vector-store.js';

export interface ConformanceOptions {
  /** The store keeps its content across close() and a new open() (embedded: same folder). */
  persistent?: boolean;
}

const v = (...xs: number[]) => Float32Array.from(xs);

function record(id: string, vector: Float32Array, metadata: Record<string, MetadataValue> = {}, text = `text of ${id}`): VectorRecord {
  return { id, vector, text, metadata };
}

let serial = 0;
/** Unique per test so stores that share a server (Chroma) do not see each other's data. */
const uniqueName = (label: string) => `conf-${label}-${process.pid}-${Date.now().toString(36)}-${serial++}`;

async function expectFerryError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isFerryError(error), `expected a FerryError, got ${String(error)}`).toBe(true);
  expect((error as Error).message).toMatch(pattern);
}

// Five records on the unit circle of the first two axes, at known angles to the query (1, 0, 0).
const FILTER_RECORDS: VectorRecord[] = [
  record('r1', v(1, 0, 0), { kind: 'a', n: 1, flag: true }),
  record('r2', v(0.9, 0.1, 0), { kind: 'b', n: 2, flag: false }),
  record('r3', v(0.7, 0.3, 0), { kind: 'a', n: 3, flag: true }),
  record('r4', v(0.4, 0.6, 0), { kind: 'c', n: 4, flag: false }),
  record('r5', v(0, 1, 0), { kind: 'b', n: 5, flag: true }),
];

const FILTER_CASES: [string, MetadataFilter, string[]][] = [
  ['shorthand equality', { kind: 'a' }, ['r1', 'r3']],
  ['$eq', { kind: { $eq: 'b' } }, ['r2', 'r5']],
  ['$eq on a boolean', { flag: { $eq: true } }, ['r1', 'r3', 'r5']],
  ['$ne', { kind: { $ne: 'a' } }, ['r2', 'r4', 'r5']],
  ['$gt', { n: { $gt: 3 } }, ['r4', 'r5']],
  ['$gte', { n: { $gte: 3 } }, ['r3', 'r4', 'r5']],
  ['$lt', { n: { $lt: 2 } }, ['r1']],
  ['$lte', { n: { $lte: 2 } }, ['r1', 'r2']],
  ['$in', { kind: { $in: ['b', 'c'] } }, ['r2', 'r4', 'r5']],
  ['$nin', { kind: { $nin: ['b', 'c'] } }, ['r1', 'r3']],
  ['$and', { $and: [{ kind: 'a' }, { n: { $gt: 1 } }] }, ['r3']],
  ['$or', { $or: [{ kind: 'c' }, { n: { $lt: 2 } }] }, ['r1', 'r4']],
  ['nested $or in $and', { $and: [{ flag: true }, { $or: [{ kind: 'b' }, { n: 1 }] }] }, ['r1', 'r5']],
  ['no match', { kind: 'zzz' }, []],
];

/**
 * The behaviour every VectorStore must share. `open` returns a fresh handle
 * on the same store each time (the persistence test closes and reopens it).
 */
export function describeVectorStoreConformance(label: string, open: () => Promise<VectorStore>, options: ConformanceOptions = {}): void {
  describe(`VectorStore conformance: ${label}`, () => {
    let store: VectorStore;
    let collection: VectorCollection;

    beforeEach(async () => {
      store = await open();
      collection = await store.collection(uniqueName('c'), { dims: 3 });
    });

    afterEach(async () => {
      await store.deleteCollection(collection.name).catch(() => undefined);
      await store.close();
    });

    it('upserts, gets by id in the order asked and counts', async () => {
      await collection.upsert([record('a', v(1, 2, 3), { source: 'x.md', page: 2, ok: true }, 'alpha'), record('b', v(0, 1, 0))]);
      expect(await collection.count()).toBe(2);
      const got = await collection.get(['b', 'missing', 'a']);
      expect(got.map((r) => r.id)).toEqual(['b', 'a']);
      expect(got[1]!.text).toBe('alpha');
      expect(got[1]!.metadata).toEqual({ source: 'x.md', page: 2, ok: true });
      expect(got[0]!.metadata).toEqual({});
      expect(got[1]!.vector).toBeInstanceOf(Float32Array);
      expect([...got[1]!.vector]).toEqual([1, 2, 3]);
      expect(collection.dims).toBe(3);
    });

    it('replaces a record upserted again under the same id', async () => {
      await collection.upsert([record('a', v(1, 0, 0), { version: 1 }, 'old'), record('b', v(0, 1, 0))]);
      await collection.upsert([record('a', v(0, 0, 1), { version: 2 }, 'new')]);
      expect(await collection.count()).toBe(2);
      const [a] = await collection.get(['a']);
      expect(a!.text).toBe('new');
      expect(a!.metadata).toEqual({ version: 2 });
      expect([...a!.vector]).toEqual([0, 0, 1]);
      const hits = await collection.query({ vector: v(0, 0, 1), k: 1 });
      expect(hits.map((h) => h.id)).toEqual(['a']);
      expect(hits[0]!.score).toBeCloseTo(1, 4);
    });

    it('deletes by id, ignoring ids it does not hold', async () => {
      await collection.upsert(FILTER_RECORDS);
      await collection.delete(['r1', 'r3', 'nope']);
      expect(await collection.count()).toBe(3);
      expect(await collection.get(['r1', 'r3'])).toEqual([]);
      const hits = await collection.query({ vector: v(1, 0, 0), k: 5 });
      expect(hits.map((h) => h.id)).toEqual(['r2', 'r4', 'r5']);
      expect((await collection.listIds()).sort()).toEqual(['r2', 'r4', 'r5']);
    });

    it('answers best first with cosine similarities, k clipped to the count', async () => {
      await collection.upsert([
        record('same', v(2, 0, 0)),
        record('diag', v(1, 1, 0)),
        record('orth', v(0, 0, 5)),
        record('opp', v(-1, 0, 0)),
      ]);
      const hits = await collection.query({ vector: v(1, 0, 0), k: 10 });
      expect(hits.map((h) => h.id)).toEqual(['same', 'diag', 'orth', 'opp']);
      const scores = hits.map((h) => h.score);
      [1, Math.SQRT1_2, 0, -1].forEach((want, i) => expect(scores[i]).toBeCloseTo(want, 4));
      expect(hits[0]!.text).toBe('text of same');
      const top2 = await collection.query({ vector: v(1, 0, 0), k: 2 });
      expect(top2.map((h) => h.id)).toEqual(['same', 'diag']);
    });

    it('answers an empty collection with no hits', async () => {
      expect(await collection.query({ vector: v(1, 0, 0), k: 3 })).toEqual([]);
      expect(await collection.count()).toBe(0);
      expect(await collection.listIds()).toEqual([]);
    });

    describe('metadata filters', () => {
      for (const [name, filter, want] of FILTER_CASES) {
        it(`${name} in query and listIds`, async () => {
          await collection.upsert(FILTER_RECORDS);
          const hits = await collection.query({ vector: v(1, 0, 0), k: 5, filter });
          // Ids ascend with the angle to the query, so best-first order is id order.
          expect(hits.map((h) => h.id)).toEqual(want);
          for (const hit of hits) expect(hit.metadata).toEqual(FILTER_RECORDS.find((r) => r.id === hit.id)!.metadata);
          expect((await collection.listIds(filter)).sort()).toEqual(want);
        });
      }

      it('keeps the best k among the records that pass', async () => {
        await collection.upsert(FILTER_RECORDS);
        const hits = await collection.query({ vector: v(0, 1, 0), k: 1, filter: { flag: true } });
        expect(hits.map((h) => h.id)).toEqual(['r5']);
      });

      it('rejects a malformed filter with the path of the fault', async () => {
        await collection.upsert(FILTER_RECORDS);
        await expectFerryError(collection.query({ vector: v(1, 0, 0), k: 1, filter: { n: { $between: [1, 2] } } as unknown as MetadataFilter }), /\$between/);
        await expectFerryError(collection.listIds({ n: { $gt: 'x' } } as unknown as MetadataFilter), /\$gt needs a finite number/);
      });
    });

    describe('collections', () => {
      it('lists, reopens and deletes collections', async () => {
        const other = uniqueName('other');
        await store.collection(other, { dims: 2 });
        expect(await store.listCollections()).toEqual(expect.arrayContaining([collection.name, other]));
        const again = await store.collection(other, { dims: 2 });
        await again.upsert([record('x', v(1, 0))]);
        expect(await (await store.collection(other, { dims: 2 })).count()).toBe(1);
        await store.deleteCollection(other);
        expect(await store.listCollections()).not.toContain(other);
        const fresh = await store.collection(other, { dims: 4 });
        expect(await fresh.count()).toBe(0);
        expect(fresh.dims).toBe(4);
        await store.deleteCollection(other);
      });

      it('names both dims when a collection is opened with other dims', async () => {
        await expectFerryError(store.collection(collection.name, { dims: 5 }), /3.*5|5.*3/);
      });

      it('rejects invalid collection names', async () => {
        for (const bad of ['', 'ab', '-leading', 'has space', 'a..b', '192.168.0.1']) {
          await expectFerryError(store.collection(bad, { dims: 3 }), /collection name/);
        }
      });

      it('rejects vectors of the wrong size and writes nothing of the batch', async () => {
        await expectFerryError(collection.upsert([record('ok', v(1, 0, 0)), record('bad', v(1, 0))]), /2 dimensions.*3/);
        expect(await collection.count()).toBe(0);
        await expectFerryError(collection.query({ vector: v(1, 0), k: 1 }), /2 dimensions/);
      });

      it('rejects bad records: duplicate ids, nested metadata, non-finite numbers', async () => {
        await expectFerryError(collection.upsert([record('d', v(1, 0, 0)), record('d', v(0, 1, 0))]), /twice/);
        await expectFerryError(collection.upsert([record('n', v(1, 0, 0), { deep: { a: 1 } as unknown as string })]), /metadata "deep"/);
        await expectFerryError(collection.upsert([record('f', v(1, Number.NaN, 0))]), /NaN/);
        expect(await collection.count()).toBe(0);
      });
    });

    if (options.persistent) {
      it('keeps everything across close and reopen', async () => {
        await collection.upsert(FILTER_RECORDS);
        await collection.delete(['r2']);
        await collection.upsert([record('r3', v(0, 0, 1), { kind: 'z', n: 9, flag: false }, 'replaced')]);
        const name = collection.name;
        await store.close();
        store = await open();
        collection = await store.collection(name, { dims: 3 });
        expect(await collection.count()).toBe(4);
        expect((await collection.listIds()).sort()).toEqual(['r1', 'r3', 'r4', 'r5']);
        const [r3] = await collection.get(['r3']);
        expect(r3).toEqual(record('r3', v(0, 0, 1), { kind: 'z', n: 9, flag: false }, 'replaced'));
        expect((await collection.query({ vector: v(0, 0, 1), k: 1 }))[0]!.id).toBe('r3');
      });
    }
  });
}
