/**
 * WebAssembly SIMD inner products over rows kept in a WebAssembly.Memory:
 * float32 (f32x4) and int8 (widened to i16, i32x4.dot_i16x8_s), one pair or
 * a batch of rows per call. V8 does not vectorise JavaScript loops; SIMD
 * lanes make the distance computations of HNSW several times faster.
 * The module is assembled here (a few hundred bytes of code), so nothing is built or downloaded.
 */

// Body of `dot(a: i32 byte address, b: i32 byte address, n: i32 floats) -> f32`:
// two f32x4 accumulators over 8 floats a step, then a scalar tail.
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_AND = 0x71;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const F32_ADD = 0x92;
const F32_MUL = 0x94;
const F32_LOAD = [0x2a, 0x02, 0x00];
const SIMD = 0xfd;
const v128Load = (offset: number) => [SIMD, 0x00, 0x02, offset];
const F32X4_ADD = [SIMD, 0xe4, 0x01];
const F32X4_MUL = [SIMD, 0xe6, 0x01];
const lane = (i: number) => [SIMD, 0x1f, i];
const i32Lane = (i: number) => [SIMD, 0x1b, i];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const BR_IF = 0x0d;
const BR = 0x0c;
const [A, B, N, I, LIMIT, ACC0, ACC1, SUM] = [0, 1, 2, 3, 4, 5, 6, 7];
const I32_MUL = 0x6c;

interface Lanes {
  extract: (i: number) => number[];
  add: number;
}
const F32_LANES: Lanes = { extract: lane, add: F32_ADD };
const I32_LANES: Lanes = { extract: i32Lane, add: I32_ADD };
// The four lanes of v128 local `v` added in order; `v` itself is already on the stack
// (some callers put it there with a local.tee).
const addLanes = (v: number, { extract, add }: Lanes) => [...extract(0), ...[1, 2, 3].flatMap((i) => [LOCAL_GET, v, ...extract(i), add])];

const accumulate = (acc: number, offset: number) => [
  LOCAL_GET, acc,
  LOCAL_GET, A, LOCAL_GET, I, I32_ADD, ...v128Load(offset),
  LOCAL_GET, B, LOCAL_GET, I, I32_ADD, ...v128Load(offset),
  ...F32X4_MUL, ...F32X4_ADD, LOCAL_SET, acc,
];

const body = [
  // locals: i, limit (i32); acc0, acc1 (v128); sum (f32)
  0x03, 0x02, 0x7f, 0x02, 0x7b, 0x01, 0x7d,
  LOCAL_GET, N, I32_CONST, 0x78 /* -8 */, I32_AND, I32_CONST, 2, I32_SHL, LOCAL_SET, LIMIT,
  ...BLOCK, ...LOOP,
  LOCAL_GET, I, LOCAL_GET, LIMIT, I32_GE_U, BR_IF, 1,
  ...accumulate(ACC0, 0),
  ...accumulate(ACC1, 16),
  LOCAL_GET, I, I32_CONST, 32, I32_ADD, LOCAL_SET, I,
  BR, 0, END, END,
  LOCAL_GET, ACC0, LOCAL_GET, ACC1, ...F32X4_ADD, LOCAL_TEE, ACC0, ...addLanes(ACC0, F32_LANES),
  LOCAL_SET, SUM,
  LOCAL_GET, N, I32_CONST, 2, I32_SHL, LOCAL_SET, LIMIT,
  ...BLOCK, ...LOOP,
  LOCAL_GET, I, LOCAL_GET, LIMIT, I32_GE_U, BR_IF, 1,
  LOCAL_GET, SUM,
  LOCAL_GET, A, LOCAL_GET, I, I32_ADD, ...F32_LOAD,
  LOCAL_GET, B, LOCAL_GET, I, I32_ADD, ...F32_LOAD,
  F32_MUL, F32_ADD, LOCAL_SET, SUM,
  LOCAL_GET, I, I32_CONST, 4, I32_ADD, LOCAL_SET, I,
  BR, 0, END, END,
  LOCAL_GET, SUM,
  END,
];

// Body of `dotI8(a, b, n) -> i32`: inner product of `n` int8 values (n a multiple of 16),
// widened to i16 and summed pairwise into i32 lanes (i32x4.dot_i16x8_s).
const [VA, VB, ACC] = [4, 5, 6];
const I16X8_EXTEND_LOW_I8X16_S = [SIMD, 0x87, 0x01];
const I16X8_EXTEND_HIGH_I8X16_S = [SIMD, 0x88, 0x01];
const I32X4_DOT_I16X8_S = [SIMD, 0xba, 0x01];
const I32X4_ADD = [SIMD, 0xae, 0x01];
const halfDot = (extend: number[]) => [LOCAL_GET, ACC, LOCAL_GET, VA, ...extend, LOCAL_GET, VB, ...extend, ...I32X4_DOT_I16X8_S, ...I32X4_ADD, LOCAL_SET, ACC];
const dotI8Body = [
  // locals: i (i32); va, vb, acc (v128)
  0x02, 0x01, 0x7f, 0x03, 0x7b,
  ...BLOCK, ...LOOP,
  LOCAL_GET, I, LOCAL_GET, N, I32_GE_U, BR_IF, 1,
  LOCAL_GET, A, LOCAL_GET, I, I32_ADD, ...v128Load(0), LOCAL_SET, VA,
  LOCAL_GET, B, LOCAL_GET, I, I32_ADD, ...v128Load(0), LOCAL_SET, VB,
  ...halfDot(I16X8_EXTEND_LOW_I8X16_S),
  ...halfDot(I16X8_EXTEND_HIGH_I8X16_S),
  LOCAL_GET, I, I32_CONST, 16, I32_ADD, LOCAL_SET, I,
  BR, 0, END, END,
  LOCAL_GET, ACC, ...addLanes(ACC, I32_LANES),
  END,
];

// Bodies of `dotsI8` and `dotsF32(q, rows, rowBytes, ids, count, n, out)`: `out[j] = dotI8 / dot(q, rows + ids[j] * rowBytes, n)`
// as f32, for j < count (a multiple of 4: callers pad the ids), so a whole neighbour list costs one call from JavaScript;
// n counts int8 values (a multiple of 16) or floats (a multiple of 4). Rows go four at a
// time: the query is loaded (and for int8 widened) once for four rows, and four independent accumulators keep
// four rows' cache misses in flight at once (HNSW's rows are scattered, so memory latency dominates).
const [Q, ROWS, ROW_BYTES, IDS, COUNT, DIMS, OUT] = [0, 1, 2, 3, 4, 5, 6];
const [J, LIMIT4, II, R0] = [7, 8, 9, 10];
const [QL, QH, V, A0] = [14, 15, 16, 17];
const F32_CONVERT_I32_S = 0xb2;
const V128_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];
const i32LoadAt = (offset: number) => [0x28, 0x02, offset];
const f32StoreAt = (offset: number) => [0x38, 0x02, offset];
const rowAddress = (r: number) => [LOCAL_GET, ROWS, LOCAL_GET, IDS, LOCAL_GET, J, I32_ADD, ...i32LoadAt(r * 4), LOCAL_GET, ROW_BYTES, I32_MUL, I32_ADD, LOCAL_SET, R0 + r];
const vectorAt = (base: number) => [LOCAL_GET, base, LOCAL_GET, II, I32_ADD, ...v128Load(0)];

/** What tells the int8 and float32 batch kernels apart; the loops around it are one. */
interface BatchElement {
  /** Before the loops: n into the bytes the inner loop steps through. */
  prologue: number[];
  /** Takes the query's 16 bytes off the stack into the locals `accumulate` reads. */
  keepQuery: number[];
  /** With accumulator and row's 16 bytes on the stack, leaves the accumulator plus their products. */
  accumulate: (row: number[]) => number[];
  lanes: Lanes;
  /** Turns the lanes' sum into the f32 that `out` holds. */
  toF32: number[];
}

const INT8: BatchElement = {
  prologue: [],
  keepQuery: [LOCAL_TEE, V, ...I16X8_EXTEND_LOW_I8X16_S, LOCAL_SET, QL, LOCAL_GET, V, ...I16X8_EXTEND_HIGH_I8X16_S, LOCAL_SET, QH],
  accumulate: (row) => [
    LOCAL_GET, QL, ...row, LOCAL_TEE, V, ...I16X8_EXTEND_LOW_I8X16_S, ...I32X4_DOT_I16X8_S,
    ...I32X4_ADD,
    LOCAL_GET, QH, LOCAL_GET, V, ...I16X8_EXTEND_HIGH_I8X16_S, ...I32X4_DOT_I16X8_S,
    ...I32X4_ADD,
  ],
  lanes: I32_LANES,
  toF32: [F32_CONVERT_I32_S],
};

const FLOAT32: BatchElement = {
  prologue: [LOCAL_GET, DIMS, I32_CONST, 2, I32_SHL, LOCAL_SET, DIMS],
  keepQuery: [LOCAL_SET, V],
  accumulate: (row) => [LOCAL_GET, V, ...row, ...F32X4_MUL, ...F32X4_ADD],
  lanes: F32_LANES,
  toF32: [],
};

function batchDotsBody(element: BatchElement): number[] {
  const rowStep = (r: number) => [LOCAL_GET, A0 + r, ...element.accumulate(vectorAt(R0 + r)), LOCAL_SET, A0 + r];
  const storeRow = (r: number) => [LOCAL_GET, OUT, LOCAL_GET, J, I32_ADD, LOCAL_GET, A0 + r, ...addLanes(A0 + r, element.lanes), ...element.toF32, ...f32StoreAt(r * 4)];
  const fourRows = (of: (r: number) => number[]) => [0, 1, 2, 3].flatMap(of);
  return [
    // locals: j, limit4, i, r0..r3 (i32); ql, qh (int8 only), v, a0..a3 (v128)
    0x02, 0x07, 0x7f, 0x07, 0x7b,
    LOCAL_GET, COUNT, I32_CONST, 2, I32_SHL, LOCAL_SET, LIMIT4,
    ...element.prologue,
    ...BLOCK, ...LOOP,
    LOCAL_GET, J, LOCAL_GET, LIMIT4, I32_GE_U, BR_IF, 1,
    ...fourRows(rowAddress),
    ...V128_ZERO, LOCAL_TEE, A0, LOCAL_TEE, A0 + 1, LOCAL_TEE, A0 + 2, LOCAL_SET, A0 + 3,
    I32_CONST, 0, LOCAL_SET, II,
    ...BLOCK, ...LOOP,
    LOCAL_GET, II, LOCAL_GET, DIMS, I32_GE_U, BR_IF, 1,
    ...vectorAt(Q), ...element.keepQuery,
    ...fourRows(rowStep),
    LOCAL_GET, II, I32_CONST, 16, I32_ADD, LOCAL_SET, II,
    BR, 0, END, END,
    ...fourRows(storeRow),
    LOCAL_GET, J, I32_CONST, 16, I32_ADD, LOCAL_SET, J,
    BR, 0, END, END,
    END,
  ];
}

const dotsI8Body = batchDotsBody(INT8);
const dotsF32Body = batchDotsBody(FLOAT32);

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

const name = (s: string) => [s.length, ...Buffer.from(s, 'ascii')];

/** The assembled module; its test pins the bytes, so the kernels' code changes only on purpose. */
export const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // types: (i32 i32 i32) -> f32, (i32 i32 i32) -> i32, (i32 x 7) -> ()
  ...section(1, [0x03, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7d, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x07, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]),
  ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
  ...section(3, [0x04, 0x00, 0x01, 0x02, 0x02]),
  ...section(7, [0x04, ...name('dot'), 0x00, 0x00, ...name('dotI8'), 0x00, 0x01, ...name('dotsI8'), 0x00, 0x02, ...name('dotsF32'), 0x00, 0x03]),
  ...section(10, [0x04, ...leb(body.length), ...body, ...leb(dotI8Body.length), ...dotI8Body, ...leb(dotsI8Body.length), ...dotsI8Body, ...leb(dotsF32Body.length), ...dotsF32Body]),
]);

// The compiler's lib has no WebAssembly types here (no DOM lib); Node 20 has the API.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const compiled = new wasm.Module(MODULE_BYTES);

/** Bytes of one WebAssembly page. */
export const WASM_PAGE = 65_536;

export function createWasmMemory(pages: number): WasmMemory {
  return new wasm.Memory({ initial: pages, maximum: 65_536 });
}

export interface SimdKernels {
  /** Inner product of `n` floats at two byte addresses of the memory. */
  dot(a: number, b: number, n: number): number;
  /** Inner product of `n` int8 values (n a multiple of 16) at two byte addresses. */
  dotI8(a: number, b: number, n: number): number;
  /** `out[j] = dotI8(q, rows + ids[j] * rowBytes, n)` for `j < count` (a multiple of 4); ids are i32 and out f32, at byte addresses. */
  dotsI8(q: number, rows: number, rowBytes: number, ids: number, count: number, n: number, out: number): void;
  /** `out[j] = dot(q, rows + ids[j] * rowBytes, n)` for `j < count`; n a multiple of 4 and count of 4. */
  dotsF32(q: number, rows: number, rowBytes: number, ids: number, count: number, n: number, out: number): void;
}

export function simdKernels(memory: WasmMemory): SimdKernels {
  const { exports } = new wasm.Instance(compiled, { env: { memory } });
  return { dot: exports['dot'] as SimdKernels['dot'], dotI8: exports['dotI8'] as SimdKernels['dotI8'], dotsI8: exports['dotsI8'] as SimdKernels['dotsI8'], dotsF32: exports['dotsF32'] as SimdKernels['dotsF32'] };
}
