// Synthetic vectors with the structure real embeddings have (a Gaussian
// mixture: points gather around topics), seeded so every run sees the same data.
export function seededRandom(seed) {
  let state = seed >>> 0 || 1;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  let spare;
  const normal = () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const a = 2 * Math.PI * uniform();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
  return { uniform, normal };
}

/**
 * `count` rows of `dims` around `clusters` centres: centre ~ N(0, I), point =
 * centre + spread * N(0, I). Returns the rows and `queries` fresh points drawn
 * the same way (not in the set).
 */
export function gaussianMixture({ count, queries, dims, clusters, spread = 0.5, seed = 7 }) {
  const rng = seededRandom(seed);
  const centres = new Float32Array(clusters * dims);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.normal();
  const draw = (n) => {
    const out = new Float32Array(n * dims);
    for (let r = 0; r < n; r++) {
      const c = Math.floor(rng.uniform() * clusters);
      for (let d = 0; d < dims; d++) out[r * dims + d] = centres[c * dims + d] + spread * rng.normal();
    }
    return out;
  };
  return { data: draw(count), queries: draw(queries) };
}

/** Exact top-k by cosine similarity, the ground truth of recall. */
export function bruteForceTopK(data, queries, dims, k) {
  const n = data.length / dims;
  const q = queries.length / dims;
  const inv = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += data[r * dims + d] ** 2;
    inv[r] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  const truth = [];
  const scores = new Float32Array(n);
  for (let i = 0; i < q; i++) {
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += queries[i * dims + d] * data[r * dims + d];
      scores[r] = s * inv[r];
    }
    const best = [];
    for (let r = 0; r < n; r++) {
      if (best.length < k || scores[r] > scores[best[best.length - 1]]) {
        best.push(r);
        best.sort((a, b) => scores[b] - scores[a]);
        if (best.length > k) best.pop();
      }
    }
    truth.push(best);
  }
  return truth;
}

export function recallAtK(found, truth) {
  let hit = 0;
  let total = 0;
  for (let i = 0; i < truth.length; i++) {
    const want = new Set(truth[i]);
    total += want.size;
    for (const id of found[i]) if (want.has(id)) hit++;
  }
  return hit / total;
}
