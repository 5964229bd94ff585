#include "cpu-features.h"
#include "gemm-kernel.h"

namespace ferry {
namespace {

constexpr int kMr = 4;
constexpr int kNr = 8;

void scalarTile(int kc, const float* a, const float* b, float* c, long ldc, float alpha, float beta) {
  float acc[kMr][kNr] = {};
  for (int p = 0; p < kc; ++p, a += kMr, b += kNr) {
    for (int i = 0; i < kMr; ++i) {
      for (int j = 0; j < kNr; ++j) acc[i][j] += a[i] * b[j];
    }
  }
  for (int i = 0; i < kMr; ++i) {
    float* row = c + i * ldc;
    for (int j = 0; j < kNr; ++j) row[j] = beta == 0.0f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * row[j];
  }
}

}  // namespace

const GemmKernel& scalarGemmKernel() {
  static const GemmKernel kernel{"scalar 4x8", kMr, kNr, 256, 128, 4096, scalarTile};
  return kernel;
}

const GemmKernel& activeGemmKernel() {
#if defined(__x86_64__) || defined(_M_X64)
  switch (activeIsa()) {
    case Isa::Avx512: return avx512GemmKernel();
    case Isa::Avx2: return avx2GemmKernel();
    default: break;
  }
#endif
  return scalarGemmKernel();
}

}  // namespace ferry
