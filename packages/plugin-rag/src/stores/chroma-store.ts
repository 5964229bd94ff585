import { ChromaClient, ChromaConnectionError, ChromaNotFoundError, ChromaServerError, ChromaUniqueError, type Collection, type Metadata } from 'chromadb';
import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';
import type { MetadataValue } from '../documents/chunk.js';
import { chromaPackage } from './chroma-package.js';
import { toChromaWhere } from './chroma-where.js';
import { checkMetadataFilter } from './metadata-filter.js';
import { checkCollectionName, checkDims, checkIds, checkQuery, checkRecords, dimsMismatch } from './store-input.js';
import type { MetadataFilter, VectorCollection, VectorHit, VectorQuery, VectorRecord, VectorStore } from './vector-store.js';

const optionsSchema = z
  .object({
    url: z.url(),
    tenant: z.string().min(1).optional(),
    database: z.string().min(1).optional(),
    /**
     * Longest wait for one call to the server. The chromadb client has no
     * timeout of its own, so a Chroma that accepts connections but never
     * answers would hold every request that needs it.
     */
    timeoutMs: z.number().int().min(1).max(600_000).default(10_000),
  })
  .strict();

export type ChromaStoreOptions = z.input<typeof optionsSchema>;

/** Server majors this client speaks to (chromadb 3.x talks to the 1.x server's /api/v2). */
const SUPPORTED_SERVER_MAJOR = 1;
/** Where the collection's dims are kept: Chroma only learns them at the first insert. */
const DIMS_KEY = 'ferry:dims';
const PAGE = 5000;

/**
 * Connects to a Chroma server through the chromadb client and checks it
 * answers and speaks a version this client supports.
 */
export async function connectChroma(options: ChromaStoreOptions): Promise<ChromaStore> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'Chroma options', fieldPrefix: 'options', hint: 'Pass { url: "http://localhost:8000", tenant?, database? }.' });
  const { url, tenant, database, timeoutMs } = parsed.data;
  const parsedUrl = new URL(url);
  const ssl = parsedUrl.protocol === 'https:';
  const client = new ChromaClient({
    host: parsedUrl.hostname,
    port: parsedUrl.port === '' ? (ssl ? 443 : 80) : Number(parsedUrl.port),
    ssl,
    ...(tenant === undefined ? {} : { tenant }),
    ...(database === undefined ? {} : { database }),
  });
  const clientVersion = chromaPackage().version;
  try {
    await client.heartbeat();
  } catch (error) {
    if (error instanceof ChromaConnectionError || isNetworkError(error)) {
      throw new FerryError('PROVIDER_HTTP_ERROR', `no Chroma server answers at ${url}`, {
        field: 'url',
        hint: 'Start one (`ferry rag chroma start`, or startChromaServer({ path })) or fix the url.',
        cause: error,
        details: { unavailable: `the vector store (Chroma at ${url})` },
      });
    }
    throw new FerryError('PROVIDER_BAD_RESPONSE', `the server at ${url} did not answer Chroma's /api/v2 heartbeat: ${(error as Error).message}`, {
      field: 'url',
      hint: `The chromadb ${clientVersion} client needs a Chroma ${SUPPORTED_SERVER_MAJOR}.x server; a 0.x server only has /api/v1: upgrade the server, or check the url points at Chroma.`,
      cause: error,
    });
  }
  const serverVersion = await client.version();
  const major = Number(/^(\d+)\./.exec(serverVersion)?.[1]);
  if (major !== SUPPORTED_SERVER_MAJOR) {
    throw new FerryError('PROVIDER_BAD_RESPONSE', `Chroma server ${serverVersion} at ${url} is not supported by the chromadb ${clientVersion} client`, {
      field: 'url',
      hint: `Run a Chroma ${SUPPORTED_SERVER_MAJOR}.x server (\`ferry rag chroma start\` runs the matching one), or install the chromadb client for server ${serverVersion}.`,
      details: { serverVersion, clientVersion },
    });
  }
  return new ChromaStore(client, url, serverVersion, timeoutMs);
}

/**
 * Runs one call to the server. Connection failures become a FerryError with
 * `details.unavailable` (an HTTP server answers 503 with the reason); the
 * client reconnects by itself on the next call, so nothing needs reopening
 * once the server is back. Server-side failures (5xx) become a FerryError too,
 * so they are not mistaken for a bug in the caller.
 */
async function reach<T>(url: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new FerryError('PROVIDER_TIMEOUT', `the vector store is unavailable: the Chroma server at ${url} did not answer within ${timeoutMs} ms`, {
            field: 'store.timeoutMs',
            hint: 'Check the Chroma server (overloaded or stalled?); requests succeed again as soon as it answers. Raise timeoutMs only if it is merely slow.',
            details: { unavailable: `the vector store (Chroma at ${url})`, retryAfterMs: 1000 },
          }),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([fn(), stalled]);
  } catch (error) {
    if (error instanceof ChromaConnectionError || isNetworkError(error)) {
      throw new FerryError('PROVIDER_HTTP_ERROR', `the vector store is unavailable: the Chroma server at ${url} cannot be reached`, {
        field: 'store.url',
        hint: 'Check that the Chroma server is running; requests succeed again as soon as it answers, without restarting the app.',
        cause: error,
        details: { unavailable: `the vector store (Chroma at ${url})`, retryAfterMs: 1000 },
      });
    }
    if (error instanceof ChromaServerError) {
      throw new FerryError('PROVIDER_HTTP_ERROR', `the Chroma server at ${url} failed: ${error.message}`, {
        field: 'store.url',
        hint: 'Read the Chroma server log for the cause (disk full, corrupt persist folder).',
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function isNetworkError(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ''} ${String((error as { cause?: unknown })?.cause ?? '')}`;
  return /fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET/.test(text);
}

export class ChromaStore implements VectorStore {
  readonly kind = 'chroma' as const;
  private closed = false;

  constructor(
    private readonly client: ChromaClient,
    readonly url: string,
    readonly serverVersion: string,
    private readonly timeoutMs: number,
  ) {}

  async collection(name: string, options: { dims: number }): Promise<ChromaCollection> {
    this.checkOpen();
    checkCollectionName(name);
    checkDims(options?.dims);
    const collection = await reach(this.url, this.timeoutMs, () => this.open(name, options.dims));
    const stored = collection.metadata?.[DIMS_KEY];
    if (typeof stored === 'number' && stored !== options.dims) throw dimsMismatch(name, stored, options.dims);
    const space = collection.configuration?.hnsw?.space ?? collection.configuration?.spann?.space;
    if (space !== undefined && space !== null && space !== 'cosine') {
      throw new FerryError('INPUT_INVALID', `Chroma collection "${name}" measures ${space} distance, not cosine`, {
        field: 'name',
        hint: 'Use another collection name: Ferry stores compare by cosine similarity, and a collection keeps its space for life.',
      });
    }
    return new ChromaCollection(collection, options.dims, () => this.checkOpen(), this.url, this.timeoutMs);
  }

  // Get first: get-or-create would send this call's dims, which must not replace the stored ones.
  private async open(name: string, dims: number): Promise<Collection> {
    try {
      return await this.client.getCollection({ name });
    } catch (error) {
      if (!(error instanceof ChromaNotFoundError) && !/does not exist|not found/i.test((error as Error).message)) throw error;
    }
    try {
      return await this.client.createCollection({ name, configuration: { hnsw: { space: 'cosine' } }, metadata: { [DIMS_KEY]: dims }, embeddingFunction: null });
    } catch (error) {
      // Another client created it in between.
      if (error instanceof ChromaUniqueError) return this.client.getCollection({ name });
      throw error;
    }
  }

  async listCollections(): Promise<string[]> {
    this.checkOpen();
    const names: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await reach(this.url, this.timeoutMs, () => this.client.listCollections({ limit: 100, offset }));
      names.push(...page.map((c) => c.name));
      if (page.length < 100) break;
    }
    return names.sort();
  }

  async deleteCollection(name: string): Promise<void> {
    this.checkOpen();
    checkCollectionName(name);
    try {
      await reach(this.url, this.timeoutMs, () => this.client.deleteCollection({ name }));
    } catch (error) {
      if (!/does not exist|not found/i.test((error as Error).message)) throw error;
    }
  }

  async close(): Promise<void> {
    // The client holds no connection to release; later calls are refused like the embedded store's.
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new FerryError('INPUT_INVALID', `the Chroma store for ${this.url} is closed`, { field: 'store', hint: 'Connect again with connectChroma().' });
  }
}

export class ChromaCollection implements VectorCollection {
  readonly name: string;

  constructor(
    private readonly collection: Collection,
    readonly dims: number,
    private readonly checkOpen: () => void,
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {
    this.name = collection.name;
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    this.checkOpen();
    checkRecords(records, this.dims);
    // Chroma caps a request's size; batches past it go in several requests.
    for (let start = 0; start < records.length; start += PAGE) {
      const batch = records.slice(start, start + PAGE);
      await this.call(() => this.collection.upsert({
        ids: batch.map((r) => r.id),
        embeddings: batch.map((r) => Array.from(r.vector)),
        documents: batch.map((r) => r.text),
        // Chroma refuses an empty metadata object; null means none.
        metadatas: batch.map((r) => (Object.keys(r.metadata).length === 0 ? null : r.metadata)) as Metadata[],
      }));
    }
  }

  async delete(ids: string[]): Promise<void> {
    this.checkOpen();
    checkIds(ids);
    for (let start = 0; start < ids.length; start += PAGE) await this.call(() => this.collection.delete({ ids: ids.slice(start, start + PAGE) }));
  }

  async query(query: VectorQuery): Promise<VectorHit[]> {
    this.checkOpen();
    checkQuery(query, this.dims);
    const count = await this.count();
    if (count === 0) return [];
    const result = await this.call(() =>
      this.collection.query({
        queryEmbeddings: [Array.from(query.vector)],
        nResults: Math.min(query.k, count),
        ...(query.filter === undefined ? {} : { where: toChromaWhere(query.filter) }),
        include: ['distances', 'documents', 'metadatas'],
      }),
    );
    const ids = result.ids[0] ?? [];
    return ids.map((id, i) => ({
      id,
      // Chroma's cosine space returns 1 - cosine similarity.
      score: 1 - (result.distances[0]?.[i] ?? 1),
      text: result.documents[0]?.[i] ?? '',
      metadata: flat(result.metadatas[0]?.[i]),
    }));
  }

  async get(ids: string[]): Promise<VectorRecord[]> {
    this.checkOpen();
    checkIds(ids);
    if (ids.length === 0) return [];
    const byId = new Map<string, VectorRecord>();
    for (let start = 0; start < ids.length; start += PAGE) {
      const result = await this.call(() => this.collection.get({ ids: ids.slice(start, start + PAGE), include: ['embeddings', 'documents', 'metadatas'] }));
      result.ids.forEach((id, i) => {
        byId.set(id, {
          id,
          vector: Float32Array.from(result.embeddings[i] ?? []),
          text: result.documents[i] ?? '',
          metadata: flat(result.metadatas[i]),
        });
      });
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async listIds(filter?: MetadataFilter): Promise<string[]> {
    this.checkOpen();
    if (filter !== undefined) checkMetadataFilter(filter);
    const ids: string[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const result = await this.call(() =>
        this.collection.get({
          limit: PAGE,
          offset,
          include: [],
          ...(filter === undefined ? {} : { where: toChromaWhere(filter) }),
        }),
      );
      ids.push(...result.ids);
      if (result.ids.length < PAGE) break;
    }
    return ids;
  }

  async count(): Promise<number> {
    this.checkOpen();
    return this.call(() => this.collection.count());
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return reach(this.url, this.timeoutMs, fn);
  }
}

function flat(metadata: Metadata | null | undefined): Record<string, MetadataValue> {
  const out: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}
