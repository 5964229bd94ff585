// Causal GQA attention, one warp per (batch, head, query) row. Each lane holds
// D/32 elements of the query and the output; keys are visited once with an
// online softmax (running max and sum), so no T x S score matrix exists.
// Simple and exact rather than fast: no key tiling or tensor cores.
#include "block-reduce.cuh"
#include "cuda-check.h"
#include "ferry-cuda.h"

namespace ferry {
namespace {

constexpr int kPerLane = kMaxAttentionDim / 32;
constexpr int kWarpsPerBlock = 4;

struct Row {
  int b, t, h, kvh;
  size_t qBase;
  int visible;
};

__device__ bool rowOf(const AttentionShape& s, Row* row) {
  const size_t warp = (static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x) / 32;
  if (warp >= static_cast<size_t>(s.batch) * s.qHeads * s.time) return false;
  row->t = warp % s.time;
  row->h = (warp / s.time) % s.qHeads;
  row->b = warp / (static_cast<size_t>(s.time) * s.qHeads);
  row->kvh = row->h / (s.qHeads / s.kvHeads);
  row->qBase = ((static_cast<size_t>(row->b) * s.time + row->t) * s.qHeads + row->h) * s.dim;
  // With S > T the causal mask is aligned to the end: query t sees keys s <= t + S - T.
  row->visible = s.causal ? max(0, min(s.keys, row->t + s.keys - s.time + 1)) : s.keys;
  return true;
}

__device__ size_t kvBase(const AttentionShape& s, const Row& row, int key) {
  return ((static_cast<size_t>(row.b) * s.keys + key) * s.kvHeads + row.kvh) * s.dim;
}

__device__ void loadLane(const float* src, size_t base, int dim, float* dst) {
  const int lane = threadIdx.x & 31;
#pragma unroll
  for (int e = 0; e < kPerLane; e++) {
    const int d = lane + 32 * e;
    dst[e] = d < dim ? src[base + d] : 0.0f;
  }
}

__device__ float dotLane(const float* mine, const float* src, size_t base, int dim) {
  const int lane = threadIdx.x & 31;
  float partial = 0.0f;
#pragma unroll
  for (int e = 0; e < kPerLane; e++) {
    const int d = lane + 32 * e;
    if (d < dim) partial += mine[e] * src[base + d];
  }
  return warpSum(partial);
}

// Running max and normaliser of softmax(scale * q.k) over the visible keys.
__device__ void softmaxStats(const AttentionShape& s, const Row& row, const float* q, const float* k, float* max, float* sum) {
  float m = -INFINITY;
  float l = 0.0f;
  for (int key = 0; key < row.visible; key++) {
    const float score = dotLane(q, k, kvBase(s, row, key), s.dim) * s.scale;
    const float next = fmaxf(m, score);
    l = l * expf(m - next) + expf(score - next);
    m = next;
  }
  *max = m;
  *sum = l;
}

__global__ void attentionKernel(const float* q, const float* k, const float* v, float* out, AttentionShape s) {
  Row row;
  if (!rowOf(s, &row)) return;
  const int lane = threadIdx.x & 31;
  float qLane[kPerLane];
  float acc[kPerLane] = {};
  loadLane(q, row.qBase, s.dim, qLane);
  float m = -INFINITY;
  float l = 0.0f;
  for (int key = 0; key < row.visible; key++) {
    const size_t base = kvBase(s, row, key);
    const float score = dotLane(qLane, k, base, s.dim) * s.scale;
    const float next = fmaxf(m, score);
    const float correction = expf(m - next);
    const float p = expf(score - next);
    l = l * correction + p;
#pragma unroll
    for (int e = 0; e < kPerLane; e++) {
      const int d = lane + 32 * e;
      acc[e] = acc[e] * correction + (d < s.dim ? p * v[base + d] : 0.0f);
    }
    m = next;
  }
#pragma unroll
  for (int e = 0; e < kPerLane; e++) {
    const int d = lane + 32 * e;
    // A row that sees no key (causal, T > S) is 0.
    if (d < s.dim) out[row.qBase + d] = row.visible == 0 ? 0.0f : acc[e] / l;
  }
}

// dV += P^T dO, dS = P * (dP - rowsum(dP * P)), dQ = scale dS K, dK += scale dS^T Q.
// dk and dv are shared by the query rows of a kv head, hence the atomics.
__global__ void attentionBackwardKernel(const float* q, const float* k, const float* v, const float* dout, float* dq, float* dk, float* dv, AttentionShape s) {
  Row row;
  if (!rowOf(s, &row)) return;
  const int lane = threadIdx.x & 31;
  float qLane[kPerLane];
  float doLane[kPerLane];
  float dqLane[kPerLane] = {};
  loadLane(q, row.qBase, s.dim, qLane);
  loadLane(dout, row.qBase, s.dim, doLane);
  float m, l;
  softmaxStats(s, row, qLane, k, &m, &l);
  float rowDot = 0.0f;
  for (int key = 0; key < row.visible; key++) {
    const size_t base = kvBase(s, row, key);
    const float p = expf(dotLane(qLane, k, base, s.dim) * s.scale - m) / l;
    rowDot += p * dotLane(doLane, v, base, s.dim);
#pragma unroll
    for (int e = 0; e < kPerLane; e++) {
      const int d = lane + 32 * e;
      if (d < s.dim) atomicAdd(&dv[base + d], p * doLane[e]);
    }
  }
  for (int key = 0; key < row.visible; key++) {
    const size_t base = kvBase(s, row, key);
    const float p = expf(dotLane(qLane, k, base, s.dim) * s.scale - m) / l;
    const float dScore = p * (dotLane(doLane, v, base, s.dim) - rowDot) * s.scale;
#pragma unroll
    for (int e = 0; e < kPerLane; e++) {
      const int d = lane + 32 * e;
      if (d < s.dim) {
        dqLane[e] += dScore * k[base + d];
        atomicAdd(&dk[base + d], dScore * qLane[e]);
      }
    }
  }
#pragma unroll
  for (int e = 0; e < kPerLane; e++) {
    const int d = lane + 32 * e;
    if (d < s.dim) dq[row.qBase + d] = dqLane[e];
  }
}

unsigned gridFor(const AttentionShape& s) {
  return blocksFor(static_cast<size_t>(s.batch) * s.qHeads * s.time, kWarpsPerBlock);
}

}  // namespace

void attentionOnDevice(const float* q, const float* k, const float* v, float* out, const AttentionShape& s) {
  attentionKernel<<<gridFor(s), kWarpsPerBlock * 32>>>(q, k, v, out, s);
  checkLaunch("attention kernel");
}

void attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& s) {
  const size_t qSize = static_cast<size_t>(s.batch) * s.time * s.qHeads * s.dim;
  const size_t kvSize = static_cast<size_t>(s.batch) * s.keys * s.kvHeads * s.dim;
  if (qSize == 0) return;
  DeviceBuffer<float> dQ(q, qSize), dK(k, kvSize), dV(v, kvSize), dOut(qSize);
  attentionOnDevice(dQ.get(), dK.get(), dV.get(), dOut.get(), s);
  dOut.download(out);
}

void attentionBackward(const float* q, const float* k, const float* v, const float* dout, float* dq, float* dk, float* dv, const AttentionShape& s) {
  const size_t qSize = static_cast<size_t>(s.batch) * s.time * s.qHeads * s.dim;
  const size_t kvSize = static_cast<size_t>(s.batch) * s.keys * s.kvHeads * s.dim;
  DeviceBuffer<float> dQ(q, qSize), dK(k, kvSize), dV(v, kvSize), dDout(dout, qSize), dDq(qSize), dDk(kvSize), dDv(kvSize);
  dDk.zero();
  dDv.zero();
  if (qSize > 0) {
    attentionBackwardKernel<<<gridFor(s), kWarpsPerBlock * 32>>>(dQ.get(), dK.get(), dV.get(), dDout.get(), dDq.get(), dDk.get(), dDv.get(), s);
    checkLaunch("attentionBackward kernel");
  }
  dDq.download(dq);
  dDk.download(dk);
  dDv.download(dv);
}

}  // namespace ferry
