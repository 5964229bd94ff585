#include "gemm-kernel.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

namespace ferry {
namespace {

// 6 rows x 2 vectors of 8: 12 accumulators + 2 B vectors + 1 broadcast of 16 ymm registers.
constexpr int kMr = 6;
constexpr int kNr = 16;

void avx2Tile(int kc, const float* a, const float* b, float* c, long ldc, float alpha, float beta) {
  __m256 acc[kMr][2];
  for (int i = 0; i < kMr; ++i) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  for (int p = 0; p < kc; ++p, a += kMr, b += kNr) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int i = 0; i < kMr; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
  const __m256 va = _mm256_set1_ps(alpha);
  const __m256 vb = _mm256_set1_ps(beta);
#pragma GCC unroll 6
  for (int i = 0; i < kMr; ++i) {
    float* row = c + i * ldc;
    for (int h = 0; h < 2; ++h) {
      __m256 out = _mm256_mul_ps(va, acc[i][h]);
      if (beta != 0.0f) out = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row + 8 * h), out);
      _mm256_storeu_ps(row + 8 * h, out);
    }
  }
}

}  // namespace

const GemmKernel& avx2GemmKernel() {
  // kc x nr floats of B (16 KiB) stay in L1 across the mc / mr row panels; mc x kc of A (192 KiB) in L2.
  static const GemmKernel kernel{"avx2+fma 6x16", kMr, kNr, 256, 192, 4080, avx2Tile};
  return kernel;
}

}  // namespace ferry
#endif
