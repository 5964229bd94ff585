#include "cpu-features.h"
#include "skinny-kernel.h"

namespace ferry {
namespace {

constexpr int kMaxRows = 4;

inline float finish(float sum, float* c, float alpha, float beta) { return beta == 0.0f ? alpha * sum : alpha * sum + beta * *c; }

void scalarDotRows(int rows, int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha,
                   float beta) {
  for (int j = j0; j < j1; ++j) {
    const float* bj = b + j * ldb;
    for (int i = 0; i < rows; ++i) {
      const float* ai = a + i * lda;
      float sum = 0.0f;
      for (int p = 0; p < k; ++p) sum += ai[p] * bj[p];
      float* out = c + i * ldc + j;
      *out = finish(sum, out, alpha, beta);
    }
  }
}

// Column blocks small enough that their sums stay in L1 while B's rows stream past.
void scalarAxpyRows(int rows, int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha,
                    float beta) {
  constexpr int kBlock = 256;
  float acc[kMaxRows][kBlock];
  for (int jb = j0; jb < j1; jb += kBlock) {
    const int width = j1 - jb < kBlock ? j1 - jb : kBlock;
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < width; ++j) acc[i][j] = 0.0f;
    }
    for (int p = 0; p < k; ++p) {
      const float* bp = b + p * ldb + jb;
      for (int i = 0; i < rows; ++i) {
        const float aip = a[i * lda + p];
        for (int j = 0; j < width; ++j) acc[i][j] += aip * bp[j];
      }
    }
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < width; ++j) {
        float* out = c + i * ldc + jb + j;
        *out = finish(acc[i][j], out, alpha, beta);
      }
    }
  }
}

}  // namespace

const SkinnyKernel& scalarSkinnyKernel() {
  static const SkinnyKernel kernel{"scalar", kMaxRows, scalarDotRows, scalarAxpyRows};
  return kernel;
}

const SkinnyKernel& activeSkinnyKernel() {
#if defined(__x86_64__) || defined(_M_X64)
  switch (activeIsa()) {
    case Isa::Avx512: return avx512SkinnyKernel();
    case Isa::Avx2: return avx2SkinnyKernel();
    default: break;
  }
#endif
  return scalarSkinnyKernel();
}

}  // namespace ferry
