#include "skinny-kernel.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

namespace ferry {
namespace {

constexpr int kMaxRows = 4;
// Columns per step of the axpy form: 4 vectors of 16 by kMaxRows rows = 16 accumulators.
constexpr int kVectors = 4;

inline __mmask16 firstLanes(int count) { return count >= 16 ? static_cast<__mmask16>(0xFFFF) : count <= 0 ? 0 : static_cast<__mmask16>((1u << count) - 1); }

// Through memory: every 512-to-narrower cast, extract or reduce intrinsic
// trips GCC 12's -Wuninitialized inside its own header. Once per column, so cheap.
inline float sum16(__m512 v) {
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, v);
  const __m256 half = _mm256_add_ps(_mm256_load_ps(lanes), _mm256_load_ps(lanes + 8));
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(half), _mm256_extractf128_ps(half, 1));
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
  __m512 acc[R][U];
  for (int i = 0; i < R; ++i)
    for (int u = 0; u < U; ++u) acc[i][u] = _mm512_setzero_ps();
  int p = 0;
  for (; p + 16 * U <= k; p += 16 * U) {
    for (int u = 0; u < U; ++u) {
      const __m512 bu = _mm512_loadu_ps(b + p + 16 * u);
      for (int i = 0; i < R; ++i) acc[i][u] = _mm512_fmadd_ps(_mm512_loadu_ps(a + i * lda + p + 16 * u), bu, acc[i][u]);
    }
  }
  for (; p < k; p += 16) {
    const __mmask16 lanes = firstLanes(k - p);
    const __m512 bp = _mm512_maskz_loadu_ps(lanes, b + p);
    for (int i = 0; i < R; ++i) acc[i][0] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(lanes, a + i * lda + p), bp, acc[i][0]);
  }
  for (int i = 0; i < R; ++i) {
    for (int u = 1; u < U; ++u) acc[i][0] = _mm512_add_ps(acc[i][0], acc[i][u]);
    finish(c + i * ldc, sum16(acc[i][0]), alpha, beta);
  }
}

template <int R>
void dotRowsOf(int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha, float beta) {
  // At most 8 accumulators: enough chains to hide the FMA latency when B is in cache.
  constexpr int U = R == 1 ? 4 : 2;
  for (int j = j0; j < j1; ++j) dotColumn<R, U>(k, a, lda, b + j * ldb, c + j, ldc, alpha, beta);
}

void avx512DotRows(int rows, int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha,
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
  const __m512 va = _mm512_set1_ps(alpha);
  const __m512 vb = _mm512_set1_ps(beta);
  for (int j = j0; j < j1; j += 16 * kVectors) {
    __mmask16 mask[kVectors];
    for (int q = 0; q < kVectors; ++q) mask[q] = firstLanes(j1 - j - 16 * q);
    __m512 acc[R][kVectors];
    for (int i = 0; i < R; ++i)
      for (int q = 0; q < kVectors; ++q) acc[i][q] = _mm512_setzero_ps();
    for (int p = 0; p < k; ++p) {
      const float* bp = b + p * ldb + j;
      __m512 bq[kVectors];
      for (int q = 0; q < kVectors; ++q) bq[q] = _mm512_maskz_loadu_ps(mask[q], bp + 16 * q);
      for (int i = 0; i < R; ++i) {
        const __m512 ai = _mm512_set1_ps(a[i * lda + p]);
        for (int q = 0; q < kVectors; ++q) acc[i][q] = _mm512_fmadd_ps(ai, bq[q], acc[i][q]);
      }
    }
    for (int i = 0; i < R; ++i) {
      float* row = c + i * ldc + j;
      for (int q = 0; q < kVectors; ++q) {
        __m512 out = _mm512_mul_ps(va, acc[i][q]);
        if (beta != 0.0f) out = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask[q], row + 16 * q), out);
        _mm512_mask_storeu_ps(row + 16 * q, mask[q], out);
      }
    }
  }
}

void avx512AxpyRows(int rows, int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha,
                    float beta) {
  switch (rows) {
    case 1: return axpyRowsOf<1>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
    case 2: return axpyRowsOf<2>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
    case 3: return axpyRowsOf<3>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
    default: return axpyRowsOf<4>(k, a, lda, b, ldb, j0, j1, c, ldc, alpha, beta);
  }
}

}  // namespace

const SkinnyKernel& avx512SkinnyKernel() {
  static const SkinnyKernel kernel{"avx512", kMaxRows, avx512DotRows, avx512AxpyRows};
  return kernel;
}

}  // namespace ferry
#endif
