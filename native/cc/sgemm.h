#pragma once

#include <cstddef>

namespace ferry {

// Row-major, strided, batched SGEMM: for each batch item
//   C = alpha * op(A) @ op(B) + beta * C,   op(A) [m, k], op(B) [k, n],
// where beta == 0 means C is not read. A stride of 0 shares an operand
// across the batch (a 2-D b broadcast over a batched a).
struct SgemmArgs {
  int batch = 1;
  int m = 0, n = 0, k = 0;
  bool transA = false, transB = false;
  float alpha = 1.0f, beta = 0.0f;
  const float* a = nullptr;
  long lda = 0, strideA = 0;
  const float* b = nullptr;
  long ldb = 0, strideB = 0;
  float* c = nullptr;
  long ldc = 0, strideC = 0;
};

// Below this many multiply-adds a GEMM is not worth waking the thread pool for.
inline constexpr double kGemmParallelMacs = 1 << 18;

void sgemm(const SgemmArgs& args);

}  // namespace ferry
