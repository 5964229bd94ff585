import { FerryError } from '@ferry/core';
import { createWasmMemory, simdKernels, WASM_PAGE, type SimdKernels, type WasmMemory } from './simd-dot.js';

/** Room for one neighbour list per batch call (HNSW's layer 0 holds 2 * m <= 256 links). */
const BATCH = 512;

/** A WebAssembly memory laid out as a header (scratch) followed by fixed-size rows, growable. */
class RowMemory {
  readonly memory: WasmMemory;
  readonly kernels: SimdKernels;
  capacity: number;

  constructor(
    readonly headerBytes: number,
    readonly rowBytes: number,
    rows: number,
  ) {
    const pages = Math.ceil((headerBytes + rows * rowBytes) / WASM_PAGE);
    this.memory = createWasmMemory(pages);
    this.kernels = simdKernels(this.memory);
    this.capacity = Math.floor((pages * WASM_PAGE - headerBytes) / rowBytes);
  }

  /** False when the memory cannot grow that far (wasm32: 4 GiB). */
  reserve(rows: number): boolean {
    if (rows <= this.capacity) return true;
    const bytes = this.headerBytes + rows * this.rowBytes;
    try {
      this.memory.grow(Math.ceil(bytes / WASM_PAGE) - this.memory.buffer.byteLength / WASM_PAGE);
    } catch {
      return false;
    }
    this.capacity = Math.floor((this.memory.buffer.byteLength - this.headerBytes) / this.rowBytes);
    return true;
  }
}

/**
 * Rows of one dimension, each kept twice in WebAssembly memories: as float32
 * (what `get` returns, and the exact distances) and as int8 of the unit
 * vector with a per-row scale (what HNSW walks: a quarter of the memory
 * traffic, and 16 lanes per SIMD step). A query row and a batch area sit in
 * front of the rows so the SIMD kernels read everything in place. Views are
 * renewed when the memories grow: read `vectors`, `batchIds`... afresh.
 */
export class VectorArena {
  readonly rowBytes: number;
  /** Bytes of an int8 row: dims rounded up to 16, the SIMD width. */
  private readonly rowBytes8: number;
  private readonly floats: RowMemory;
  private readonly bytes: RowMemory;
  private readonly idsAddress: number;
  private readonly outAddress: number;
  private readonly exactIdsAddress: number;
  private readonly exactOutAddress: number;
  vectors: Float32Array;
  /** Scratch row at byte address 0 of the float memory. */
  query: Float32Array;
  private query8: Int8Array;
  private rows8: Int8Array;
  private queryScale8 = 0;
  /** `1 / |row|`, 0 for a zero row. */
  invNorms: Float32Array;
  /** Per row: the unit vector is `int8 row * scale8`. */
  scale8: Float32Array;
  /** Rows for `batchDots8`, then its results; views into the int8 memory. */
  batchIds: Int32Array;
  batchOut: Float32Array;
  /** Rows for `batchExactDots`, then its results; views into the float memory. */
  exactIds: Int32Array;
  exactOut: Float32Array;

  constructor(
    readonly dims: number,
    initialRows = 1024,
  ) {
    this.rowBytes = dims * 4;
    this.rowBytes8 = Math.ceil(dims / 16) * 16;
    this.exactIdsAddress = Math.ceil(this.rowBytes / 16) * 16;
    this.exactOutAddress = this.exactIdsAddress + BATCH * 4;
    this.floats = new RowMemory(this.exactOutAddress + BATCH * 4, this.rowBytes, initialRows);
    this.idsAddress = this.rowBytes8;
    this.outAddress = this.idsAddress + BATCH * 4;
    this.bytes = new RowMemory(this.outAddress + BATCH * 4, this.rowBytes8, initialRows);
    this.invNorms = new Float32Array(this.capacity);
    this.scale8 = new Float32Array(this.capacity);
    this.vectors = this.query = this.batchOut = new Float32Array(0);
    this.query8 = this.rows8 = new Int8Array(0);
    this.batchIds = this.exactIds = new Int32Array(0);
    this.exactOut = new Float32Array(0);
    this.refreshViews();
  }

  get capacity(): number {
    return Math.min(this.floats.capacity, this.bytes.capacity);
  }

  /** Makes room for `rows` rows, keeping the content. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const want = Math.max(rows, Math.ceil(this.capacity * 1.5));
    if (!this.floats.reserve(want) || !this.bytes.reserve(want)) {
      throw new FerryError('INPUT_INVALID', `cannot hold ${rows} vectors of ${this.dims} dims in one collection`, {
        field: 'records',
        hint: 'An embedded collection holds up to about 4 GiB of float32 vectors; split the data into several collections or use the Chroma store.',
      });
    }
    const grow = (old: Float32Array) => {
      const next = new Float32Array(this.capacity);
      next.set(old.subarray(0, Math.min(old.length, next.length)));
      return next;
    };
    this.invNorms = grow(this.invNorms);
    this.scale8 = grow(this.scale8);
    this.refreshViews();
  }

  /** Copies `source` into row `row`, with its inverse norm and int8 form. */
  setRow(row: number, source: Float32Array): void {
    this.vectors.set(source, row * this.dims);
    const invNorm = inverseNorm(source);
    this.invNorms[row] = invNorm;
    this.scale8[row] = quantize(source, invNorm, this.rows8, row * this.rowBytes8);
  }

  row(row: number): Float32Array {
    return this.vectors.subarray(row * this.dims, (row + 1) * this.dims);
  }

  /** Puts `vector` scaled to unit length (zero stays zero) into the query rows, float and int8. */
  loadQuery(vector: Float32Array): void {
    const scale = inverseNorm(vector);
    const query = this.query;
    for (let d = 0; d < this.dims; d++) query[d] = vector[d]! * scale;
    this.queryScale8 = quantize(vector, scale, this.query8, 0);
  }

  /** Exact cosine distance between the query row and row `row`. */
  queryDistance(row: number): number {
    return 1 - this.floats.kernels.dot(0, this.floats.headerBytes + row * this.rowBytes, this.dims) * this.invNorms[row]!;
  }

  /** Cosine distance between the query and row `row`, from their int8 forms. */
  approxQueryDistance(row: number): number {
    return 1 - this.bytes.kernels.dotI8(0, this.bytes.headerBytes + row * this.rowBytes8, this.rowBytes8) * this.scale8[row]! * this.queryScale8;
  }

  /** Cosine distance between two rows, from their int8 forms. */
  approxRowDistance(a: number, b: number): number {
    const { headerBytes } = this.bytes;
    const rowBytes8 = this.rowBytes8;
    return 1 - this.bytes.kernels.dotI8(headerBytes + a * rowBytes8, headerBytes + b * rowBytes8, rowBytes8) * this.scale8[a]! * this.scale8[b]!;
  }

  /**
   * `batchOut[j]` = int8 inner product of the query and row `batchIds[j]`, for
   * `j < count` (count <= 512); the distance is `1 - out * scale8[row] * querySimilarityScale`.
   * Entries from `count` to the next multiple of 4 are overwritten.
   */
  batchDots8(count: number): void {
    const ids = this.batchIds;
    // The kernel goes four rows at a time: the last row is repeated up to a multiple of 4 (it is in cache by then).
    for (let j = count; (j & 3) !== 0; j++) ids[j] = ids[count - 1]!;
    this.bytes.kernels.dotsI8(0, this.bytes.headerBytes, this.rowBytes8, this.idsAddress, (count + 3) & ~3, this.rowBytes8, this.outAddress);
  }

  /**
   * `exactOut[j]` = float32 inner product of the (unit) query and row
   * `exactIds[j]`, for `j < count` (count <= 512); the cosine distance is
   * `1 - out * invNorms[row]`.
   */
  batchExactDots(count: number): void {
    const ids = this.exactIds;
    const { kernels, headerBytes } = this.floats;
    if (this.dims % 4 !== 0) {
      for (let j = 0; j < count; j++) this.exactOut[j] = kernels.dot(0, headerBytes + ids[j]! * this.rowBytes, this.dims);
      return;
    }
    for (let j = count; (j & 3) !== 0; j++) ids[j] = ids[count - 1]!;
    kernels.dotsF32(0, headerBytes, this.rowBytes, this.exactIdsAddress, (count + 3) & ~3, this.dims, this.exactOutAddress);
  }

  /** Scale of the query's int8 form (see `batchDots8`). */
  get querySimilarityScale(): number {
    return this.queryScale8;
  }

  private refreshViews(): void {
    const floatBuffer = this.floats.memory.buffer;
    this.vectors = new Float32Array(floatBuffer, this.floats.headerBytes, this.floats.capacity * this.dims);
    this.query = new Float32Array(floatBuffer, 0, this.dims);
    this.exactIds = new Int32Array(floatBuffer, this.exactIdsAddress, BATCH);
    this.exactOut = new Float32Array(floatBuffer, this.exactOutAddress, BATCH);
    const byteBuffer = this.bytes.memory.buffer;
    this.query8 = new Int8Array(byteBuffer, 0, this.rowBytes8);
    this.rows8 = new Int8Array(byteBuffer, this.bytes.headerBytes, this.bytes.capacity * this.rowBytes8);
    this.batchIds = new Int32Array(byteBuffer, this.idsAddress, BATCH);
    this.batchOut = new Float32Array(byteBuffer, this.outAddress, BATCH);
  }
}

function inverseNorm(vector: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < vector.length; d++) sum += vector[d]! * vector[d]!;
  return sum > 0 ? 1 / Math.sqrt(sum) : 0;
}

/** Writes `vector * invNorm` as int8 (absmax scaling) at `out[offset..]`; returns the scale back to the unit vector. */
function quantize(vector: Float32Array, invNorm: number, out: Int8Array, offset: number): number {
  let max = 0;
  for (let d = 0; d < vector.length; d++) max = Math.max(max, Math.abs(vector[d]!));
  const unitMax = max * invNorm;
  if (unitMax === 0) {
    out.fill(0, offset, offset + vector.length);
    return 0;
  }
  const toInt = (127 / max);
  for (let d = 0; d < vector.length; d++) out[offset + d] = Math.round(vector[d]! * toInt);
  return unitMax / 127;
}
