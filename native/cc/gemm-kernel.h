#pragma once

namespace ferry {

// One register-blocked micro-kernel and the cache blocking tuned for it.
// `tile` computes an mr x nr block of C from packed panels:
//   C = alpha * sum_p a[p * mr + i] * b[p * nr + j] + beta * C,
// where beta == 0 means C is not read (BLAS semantics: it may hold NaN).
struct GemmKernel {
  const char* name;
  int mr, nr;
  int kc, mc, nc;
  void (*tile)(int kc, const float* a, const float* b, float* c, long ldc, float alpha, float beta);
};

const GemmKernel& scalarGemmKernel();
#if defined(__x86_64__) || defined(_M_X64)
const GemmKernel& avx2GemmKernel();
const GemmKernel& avx512GemmKernel();
#endif

// The kernel of the active ISA path (see cpu-features.h).
const GemmKernel& activeGemmKernel();

}  // namespace ferry
