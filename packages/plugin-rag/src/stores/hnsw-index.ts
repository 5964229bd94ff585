import type { VectorArena } from './vector-arena.js';

export interface HnswParams {
  /** Links per node on the upper layers (twice that on layer 0); default 16. */
  m: number;
  /** Candidate list size while inserting; default 200. */
  efConstruction: number;
  /** Default candidate list size while searching (raised to k); default 64. */
  efSearch: number;
  /** Seed of the level generator, so a rebuild gives the same graph. */
  seed: number;
}

export const DEFAULT_HNSW_PARAMS: HnswParams = { m: 16, efConstruction: 200, efSearch: 64, seed: 42 };

export interface HnswResult {
  nodes: Int32Array;
  /** Cosine distances (1 - similarity), ascending. */
  distances: Float32Array;
}

/**
 * The graph of an index as plain typed arrays, for persistence: node `i` is
 * row `i` of the arena; `levels[i]` is its top layer, or 255 when the row is
 * not in the graph; `links0` holds `[n, link_1 .. link_2m]` per node and
 * `upper` the blocks `[n, link_1 .. link_m]` of layers 1..level of each node
 * in node order.
 */
export interface HnswGraph {
  nodes: number;
  entry: number;
  maxLevel: number;
  /** State of the level generator, so later inserts continue the same sequence. */
  rng: number;
  levels: Uint8Array;
  links0: Int32Array;
  upper: Int32Array;
}

const ABSENT = 255;
/** Exact re-ranking goes in batches of this many rows (the arena's batch area holds 512). */
const EXACT_BATCH = 256;

/** Binary heap of (distance, node) in typed arrays; `sign` 1 = min-heap, -1 = max-heap. */
class Heap {
  keys: Float64Array;
  vals: Int32Array;
  size = 0;
  constructor(
    capacity: number,
    private readonly sign: 1 | -1,
  ) {
    this.keys = new Float64Array(capacity);
    this.vals = new Int32Array(capacity);
  }
  clear(): void {
    this.size = 0;
  }
  topKey(): number {
    return this.keys[0]! * this.sign;
  }
  topVal(): number {
    return this.vals[0]!;
  }
  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      const vals = new Int32Array(this.size * 2);
      vals.set(this.vals);
      this.keys = keys;
      this.vals = vals;
    }
    const k = key * this.sign;
    let i = this.size++;
    const keysArr = this.keys;
    const valsArr = this.vals;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keysArr[parent]! <= k) break;
      keysArr[i] = keysArr[parent]!;
      valsArr[i] = valsArr[parent]!;
      i = parent;
    }
    keysArr[i] = k;
    valsArr[i] = val;
  }
  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    this.siftDown(this.keys[n]!, this.vals[n]!, n);
  }
  /** Pops the top and pushes (key, val) in one sift. */
  replaceTop(key: number, val: number): void {
    this.siftDown(key * this.sign, val, this.size);
  }
  /** Puts the signed key `k` at the root of the first `n` entries and sifts it down. */
  private siftDown(k: number, v: number, n: number): void {
    const keysArr = this.keys;
    const valsArr = this.vals;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keysArr[child + 1]! < keysArr[child]!) child++;
      if (keysArr[child]! >= k) break;
      keysArr[i] = keysArr[child]!;
      valsArr[i] = valsArr[child]!;
      i = child;
    }
    keysArr[i] = k;
    valsArr[i] = v;
  }
}

/**
 * Hierarchical navigable small world graph (Malkov & Yashunin) over cosine
 * distance, with the neighbour selection heuristic. Construction and search
 * walk the int8 forms of the rows; search results are re-ranked exactly. Nodes are row numbers of
 * a VectorArena; removal is the caller's business (an `allowed` mask at
 * search time), as in hnswlib's "mark deleted".
 */
export class HnswIndex {
  readonly params: HnswParams;
  private readonly maxM0: number;
  private readonly maxM: number;
  private readonly levelMult: number;
  private capacity = 0;
  private count = 0;
  /** Layer 0: per node `[n, link_1 .. link_maxM0]`. */
  private links0 = new Int32Array(0);
  /** Layers 1..level of a node: `level` blocks of `[n, link_1 .. link_maxM]`. */
  private upper: (Int32Array | undefined)[] = [];
  private present = new Uint8Array(0);
  private entry = -1;
  private maxLevel = -1;
  private visited = new Uint32Array(0);
  private visitTag = 0;
  private rng: number;
  private readonly candidates = new Heap(256, 1);
  private readonly results = new Heap(256, -1);

  constructor(
    private readonly arena: VectorArena,
    params: Partial<HnswParams> = {},
  ) {
    this.params = { ...DEFAULT_HNSW_PARAMS, ...params };
    this.maxM = this.params.m;
    this.maxM0 = this.params.m * 2;
    this.levelMult = 1 / Math.log(Math.max(2, this.params.m));
    this.rng = this.params.seed >>> 0 || 1;
  }

  /** Nodes in the graph. */
  get size(): number {
    return this.count;
  }

  has(node: number): boolean {
    return node < this.capacity && this.present[node] === 1;
  }

  /** Links row `node` of the space into the graph. */
  add(node: number): void {
    this.reserve(node + 1);
    if (this.present[node] === 1) return;
    const level = this.randomLevel();
    this.present[node] = 1;
    this.links0[node * (this.maxM0 + 1)] = 0;
    this.upper[node] = level > 0 ? new Int32Array(level * (this.maxM + 1)) : undefined;
    this.count++;
    if (this.entry < 0) {
      this.entry = node;
      this.maxLevel = level;
      return;
    }
    this.arena.loadQuery(this.arena.row(node));

    let current = this.entry;
    let currentDist = this.distance(current);
    for (let l = this.maxLevel; l > level; l--) {
      current = this.greedy(current, currentDist, l);
      currentDist = this.greedyDist;
    }
    for (let l = Math.min(level, this.maxLevel); l >= 0; l--) {
      this.searchLayer(current, currentDist, this.params.efConstruction, l, undefined);
      const [nodes, dists] = this.drainSorted();
      current = nodes[0]!;
      currentDist = dists[0]!;
      const chosen = this.selectNeighbours(nodes, dists, this.maxM);
      this.setLinks(node, l, chosen);
      const cap = l === 0 ? this.maxM0 : this.maxM;
      for (const other of chosen) this.linkBack(other, node, l, cap);
    }
    if (level > this.maxLevel) {
      this.entry = node;
      this.maxLevel = level;
    }
  }

  /**
   * The `k` nearest allowed nodes to `query` (any scale), best first.
   * Disallowed nodes are still walked through, so the graph stays connected.
   */
  search(query: Float32Array, k: number, ef: number, allowed?: Uint8Array): HnswResult {
    if (this.entry < 0) return { nodes: new Int32Array(0), distances: new Float32Array(0) };
    const arena = this.arena;
    arena.loadQuery(query);
    let current = this.entry;
    let currentDist = this.distance(current);
    for (let l = this.maxLevel; l > 0; l--) {
      current = this.greedy(current, currentDist, l);
      currentDist = this.greedyDist;
    }
    this.searchLayer(current, currentDist, Math.max(ef, k), 0, allowed);
    // The walk ranks by int8 distances; the ef found are ranked again by exact float32 ones
    // (in batches of four-row SIMD calls), the best k kept by insertion, ties to the lower node.
    const results = this.results;
    const nodes = new Int32Array(Math.min(k, results.size));
    const distances = new Float64Array(nodes.length);
    const invNorms = arena.invNorms;
    let kept = 0;
    while (results.size > 0) {
      const ids = arena.exactIds;
      const count = Math.min(results.size, EXACT_BATCH);
      for (let j = 0; j < count; j++) {
        ids[j] = results.topVal();
        results.pop();
      }
      arena.batchExactDots(count);
      const out = arena.exactOut;
      for (let j = 0; j < count; j++) {
        const node = ids[j]!;
        const dist = 1 - out[j]! * invNorms[node]!;
        if (kept === nodes.length && (dist > distances[kept - 1]! || (dist === distances[kept - 1]! && node > nodes[kept - 1]!))) continue;
        let i = kept < nodes.length ? kept++ : kept - 1;
        for (; i > 0 && (distances[i - 1]! > dist || (distances[i - 1] === dist && nodes[i - 1]! > node)); i--) {
          distances[i] = distances[i - 1]!;
          nodes[i] = nodes[i - 1]!;
        }
        distances[i] = dist;
        nodes[i] = node;
      }
    }
    return { nodes, distances: Float32Array.from(distances) };
  }

  /** The graph as typed arrays (copies), for `HnswIndex.fromGraph`. */
  exportGraph(): HnswGraph {
    const nodes = this.nodeCount();
    const levels = new Uint8Array(nodes).fill(ABSENT);
    let upperLength = 0;
    for (let node = 0; node < nodes; node++) {
      if (this.present[node] !== 1) continue;
      const block = this.upper[node];
      levels[node] = block === undefined ? 0 : block.length / (this.maxM + 1);
      upperLength += block?.length ?? 0;
    }
    const upper = new Int32Array(upperLength);
    let at = 0;
    for (let node = 0; node < nodes; node++) {
      const block = this.upper[node];
      if (this.present[node] !== 1 || block === undefined) continue;
      upper.set(block, at);
      at += block.length;
    }
    return { nodes, entry: this.entry, maxLevel: this.maxLevel, rng: this.rng, levels, links0: this.links0.slice(0, nodes * (this.maxM0 + 1)), upper };
  }

  /**
   * An index over `arena` from an exported graph. The graph is checked, not
   * trusted: every link must name a node of the graph and fit its layer's
   * list, else this returns undefined (the caller rebuilds).
   */
  static fromGraph(arena: VectorArena, params: HnswParams, graph: HnswGraph): HnswIndex | undefined {
    const index = new HnswIndex(arena, params);
    const { nodes, levels, links0, upper } = graph;
    const stride0 = index.maxM0 + 1;
    const strideUp = index.maxM + 1;
    if (levels.length !== nodes || links0.length !== nodes * stride0 || nodes > arena.capacity) return undefined;
    const inGraph = (node: number) => Number.isInteger(node) && node >= 0 && node < nodes && levels[node] !== ABSENT;
    const linksValid = (block: Int32Array, base: number, cap: number, level: number) => {
      const n = block[base]!;
      if (n < 0 || n > cap) return false;
      for (let i = 1; i <= n; i++) {
        const other = block[base + i]!;
        if (!inGraph(other) || levels[other]! < level) return false;
      }
      return true;
    };
    index.reserve(nodes);
    let at = 0;
    let topLevel = -1;
    for (let node = 0; node < nodes; node++) {
      const level = levels[node]!;
      if (level === ABSENT) continue;
      if (level > 31 || !linksValid(links0, node * stride0, index.maxM0, 0)) return undefined;
      index.present[node] = 1;
      index.count++;
      topLevel = Math.max(topLevel, level);
      if (level === 0) continue;
      if (at + level * strideUp > upper.length) return undefined;
      const block = upper.slice(at, at + level * strideUp);
      at += level * strideUp;
      for (let l = 1; l <= level; l++) if (!linksValid(block, (l - 1) * strideUp, index.maxM, l)) return undefined;
      index.upper[node] = block;
    }
    if (at !== upper.length) return undefined;
    if (index.count > 0 && (!inGraph(graph.entry) || levels[graph.entry] !== graph.maxLevel || graph.maxLevel !== topLevel)) return undefined;
    if (index.count === 0 && graph.entry !== -1) return undefined;
    index.links0.set(links0);
    index.entry = graph.entry;
    index.maxLevel = graph.maxLevel;
    index.rng = graph.rng >>> 0 || 1;
    return index;
  }

  private nodeCount(): number {
    let nodes = this.present.length;
    while (nodes > 0 && this.present[nodes - 1] !== 1) nodes--;
    return nodes;
  }

  private distance(node: number): number {
    return this.arena.approxQueryDistance(node);
  }

  private distanceBetween(a: number, b: number): number {
    return this.arena.approxRowDistance(a, b);
  }

  /** Distance of the node the last `greedy` returned. */
  private greedyDist = 0;

  /** Hill-climbs layer `level` from `start`; the distances of a neighbour list in one batch call. */
  private greedy(start: number, startDist: number, level: number): number {
    const arena = this.arena;
    const base = (level - 1) * (this.maxM + 1);
    let current = start;
    let currentDist = startDist;
    for (let changed = true; changed; ) {
      changed = false;
      const block = this.upper[current]!;
      const n = block[base]!;
      if (n === 0) break;
      const ids = arena.batchIds;
      for (let i = 0; i < n; i++) ids[i] = block[base + 1 + i]!;
      arena.batchDots8(n);
      const out = arena.batchOut;
      const scale8 = arena.scale8;
      const queryScale = arena.querySimilarityScale;
      for (let i = 0; i < n; i++) {
        const other = ids[i]!;
        const dist = 1 - out[i]! * scale8[other]! * queryScale;
        if (dist < currentDist) {
          currentDist = dist;
          current = other;
          changed = true;
        }
      }
    }
    this.greedyDist = currentDist;
    return current;
  }

  /** Beam search of one layer; leaves the best `ef` (allowed) nodes in `this.results`. */
  private searchLayer(start: number, startDist: number, ef: number, level: number, allowed: Uint8Array | undefined): void {
    const visited = this.visited;
    const tag = this.nextTag();
    const candidates = this.candidates;
    const results = this.results;
    candidates.clear();
    results.clear();
    visited[start] = tag;
    candidates.push(startDist, start);
    if (allowed === undefined || allowed[start] === 1) results.push(startDist, start);
    let bound = results.size > 0 ? results.topKey() : Infinity;
    const links0 = this.links0;
    const stride0 = this.maxM0 + 1;
    const strideUp = this.maxM + 1;
    const arena = this.arena;
    while (candidates.size > 0) {
      const candDist = candidates.topKey();
      if (candDist > bound && results.size >= ef) break;
      const cand = candidates.topVal();
      candidates.pop();
      let block: Int32Array;
      let base: number;
      if (level === 0) {
        block = links0;
        base = cand * stride0;
      } else {
        block = this.upper[cand]!;
        base = (level - 1) * strideUp;
      }
      const n = block[base]!;
      // Unvisited neighbours first, then their distances in one SIMD batch call.
      const ids = arena.batchIds;
      let count = 0;
      for (let i = 1; i <= n; i++) {
        const other = block[base + i]!;
        if (visited[other] === tag) continue;
        visited[other] = tag;
        ids[count++] = other;
      }
      if (count === 0) continue;
      arena.batchDots8(count);
      const out = arena.batchOut;
      const scale8 = arena.scale8;
      const queryScale = arena.querySimilarityScale;
      for (let j = 0; j < count; j++) {
        const other = ids[j]!;
        const dist = 1 - out[j]! * scale8[other]! * queryScale;
        if (results.size < ef || dist < bound) {
          candidates.push(dist, other);
          if (allowed === undefined || allowed[other] === 1) {
            if (results.size < ef) results.push(dist, other);
            else results.replaceTop(dist, other);
            bound = results.topKey();
          }
        }
      }
    }
  }

  /** Empties `this.results` into arrays sorted by ascending distance. */
  private drainSorted(): [Int32Array, Float64Array] {
    const results = this.results;
    const n = results.size;
    const nodes = new Int32Array(n);
    const dists = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      nodes[i] = results.topVal();
      dists[i] = results.topKey();
      results.pop();
    }
    return [nodes, dists];
  }

  /**
   * The heuristic of the paper (hnswlib's getNeighborsByHeuristic2): keep a
   * candidate only if it is closer to the base than to every neighbour kept
   * so far, which spreads links over directions instead of one dense cluster.
   */
  private selectNeighbours(nodes: Int32Array, dists: Float64Array, m: number): number[] {
    if (nodes.length <= m) return [...nodes];
    const kept: number[] = [];
    for (let i = 0; i < nodes.length && kept.length < m; i++) {
      const cand = nodes[i]!;
      const candDist = dists[i]!;
      let good = true;
      for (const other of kept) {
        if (this.distanceBetween(cand, other) < candDist) {
          good = false;
          break;
        }
      }
      if (good) kept.push(cand);
    }
    return kept;
  }

  private setLinks(node: number, level: number, links: readonly number[]): void {
    const [block, base] = this.linkBlock(node, level);
    block[base] = links.length;
    for (let i = 0; i < links.length; i++) block[base + 1 + i] = links[i]!;
  }

  private linkBlock(node: number, level: number): [Int32Array, number] {
    return level === 0 ? [this.links0, node * (this.maxM0 + 1)] : [this.upper[node]!, (level - 1) * (this.maxM + 1)];
  }

  private linkBack(node: number, added: number, level: number, cap: number): void {
    const [block, base] = this.linkBlock(node, level);
    const n = block[base]!;
    for (let i = 1; i <= n; i++) if (block[base + i] === added) return;
    if (n < cap) {
      block[base + 1 + n] = added;
      block[base] = n + 1;
      return;
    }
    // Full: choose again among the old links and the new one, by the same heuristic.
    const all = new Int32Array(n + 1);
    const dists = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) all[i] = block[base + 1 + i]!;
    all[n] = added;
    for (let i = 0; i <= n; i++) dists[i] = this.distanceBetween(node, all[i]!);
    const order = [...all.keys()].sort((a, b) => dists[a]! - dists[b]!);
    const sortedNodes = Int32Array.from(order, (i) => all[i]!);
    const sortedDists = Float64Array.from(order, (i) => dists[i]!);
    this.setLinks(node, level, this.selectNeighbours(sortedNodes, sortedDists, cap));
  }

  private nextTag(): number {
    if (this.visitTag === 0xffffffff) {
      this.visited.fill(0);
      this.visitTag = 0;
    }
    return ++this.visitTag;
  }

  private randomLevel(): number {
    // mulberry32: deterministic, so rebuilding from the same rows gives the same graph.
    this.rng = (this.rng + 0x6d2b79f5) >>> 0;
    let t = this.rng;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.min(31, Math.floor(-Math.log(1 - u) * this.levelMult));
  }

  private reserve(size: number): void {
    if (size <= this.capacity) return;
    const capacity = Math.max(size, this.capacity * 2, 1024);
    const links0 = new Int32Array(capacity * (this.maxM0 + 1));
    links0.set(this.links0);
    this.links0 = links0;
    const present = new Uint8Array(capacity);
    present.set(this.present);
    this.present = present;
    const visited = new Uint32Array(capacity);
    visited.set(this.visited);
    this.visited = visited;
    this.capacity = capacity;
  }
}
