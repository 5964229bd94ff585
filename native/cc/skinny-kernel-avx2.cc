#include "skinny-kernel.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

namespace ferry {
namespace {

constexpr int kMaxRows = 4;

// Column vectors per step of the axpy form: at most 8 accumulators in the 16 ymm registers.
template <int R>
constexpr int kVectors = R <= 2 ? 4 : 2;

// All lanes below `count` set: a window into -1 x 8, 0 x 8.
inline __m256i firstLanes(int count) {
  alignas(32) static const int table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  const int clamped = count < 0 ? 0 : count > 8 ? 8 : count;
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table + 8 - clamped));
}

inline float sum8(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

inline void finish(float* c, float sum, float alpha, float beta) { *c = beta == 0.0f ? alpha * sum : alpha * sum + beta * *c; }

// Column j of C for R rows of A: B row j is read start to end as one stream
// (interleaving several B rows measured about half the bandwidth on a cold
// weight), with U independent FMA chains over k.
template <int R, int U>
inline void dotColumn(int k, const float* a, long lda, const float* b, float* c, long ldc, float alpha, float beta) {
  __m256 acc[R][U];
  for (int i = 0; i < R; ++i)
    for (int u = 0; u < U; ++u) acc[i][u] = _mm256_setzero_ps();
  int p = 0;
  for (; p + 8 * U <= k; p += 8 * U) {
    for (int u = 0; u < U; ++u) {
      const __m256 bu = _mm256_loadu_ps(b + p + 8 * u);
      for (int i = 0; i < R; ++i) acc[i][u] = _mm256_fmadd_ps(_mm256_loadu_ps(a + i * lda + p + 8 * u), bu, acc[i][u]);
    }
  }
  for (; p < k; p += 8) {
    const __m256i lanes = firstLanes(k - p);
    const __m256 bp = _mm256_maskload_ps(b + p, lanes);
    for (int i = 0; i < R; ++i) acc[i][0] = _mm256_fmadd_ps(_mm256_maskload_ps(a + i * lda + p, lanes), bp, acc[i][0]);
  }
  for (int i = 0; i < R; ++i) {
    for (int u = 1; u < U; ++u) acc[i][0] = _mm256_add_ps(acc[i][0], acc[i][u]);
    finish(c + i * ldc, sum8(acc[i][0]), alpha, beta);
  }
}

template <int R>
void dotRowsOf(int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha, float beta) {
  // At most 8 of the 16 ymm registers hold sums.
  constexpr int U = R == 1 ? 4 : 2;
  for (int j = j0; j < j1; ++j) dotColumn<R, U>(k, a, lda, b + j * ldb, c + j, ldc, alpha, beta);
}

void avx2DotRows(int rows, int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha,
                 float beta) {
  switch (rows) {
    case 1: return dotRowsOf<1>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
    case 2: return dotRowsOf<2>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
    case 3: return dotRowsOf<3>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
    default: return dotRowsOf<4>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
  }
}

template <int R>
void axpyRowsOf(int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha, float beta) {
  constexpr int V = kVectors<R>;
  const __m256 va = _mm256_set1_ps(alpha);
  const __m256 vb = _mm256_set1_ps(beta);
  for (int j = j0; j < j1; j += 8 * V) {
    __m256i mask[V];
    for (int q = 0; q < V; ++q) mask[q] = firstLanes(j1 - j - 8 * q);
    __m256 acc[R][V];
    for (int i = 0; i < R; ++i)
      for (int q = 0; q < V; ++q) acc[i][q] = _mm256_setzero_ps();
    for (int p = 0; p < k; ++p) {
      const float* bp = b + p * ldb + j;
      __m256 bq[V];
      for (int q = 0; q < V; ++q) bq[q] = _mm256_maskload_ps(bp + 8 * q, mask[q]);
      for (int i = 0; i < R; ++i) {
        const __m256 ai = _mm256_broadcast_ss(a + i * lda + p);
        for (int q = 0; q < V; ++q) acc[i][q] = _mm256_fmadd_ps(ai, bq[q], acc[i][q]);
      }
    }
    for (int i = 0; i < R; ++i) {
      float* row = c + i * ldc + j;
      for (int q = 0; q < V; ++q) {
        __m256 out = _mm256_mul_ps(va, acc[i][q]);
        if (beta != 0.0f) out = _mm256_fmadd_ps(vb, _mm256_maskload_ps(row + 8 * q, mask[q]), out);
        _mm256_maskstore_ps(row + 8 * q, mask[q], out);
      }
    }
  }
}

void avx2AxpyRows(int rows, int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha,
                  float beta) {
  switch (rows) {
    case 1: return axpyRowsOf<1>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
    case 2: return axpyRowsOf<2>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
    case 3: return axpyRowsOf<3>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
    default: return axpyRowsOf<4>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
  }
}

}  // namespace

const SkinnyKernel& avx2SkinnyKernel() {
  static const SkinnyKernel kernel{"avx2+fma", kMaxRows, avx2DotRows, avx2AxpyRows};
  return kernel;
}

}  // namespace ferry
#endif
