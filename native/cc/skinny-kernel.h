#pragma once

namespace ferry {

// Kernels for a GEMM with only a few rows of op(A) (decode: one token times a
// weight matrix). They stream B straight from the caller's buffer, reading
// each element once, instead of packing it: with so few rows the packing
// copy costs as much as the multiply.
//
// Both compute rows [0, rows) and columns [j0, j1) of
//   C = alpha * op(A) @ op(B) + beta * C,   A row-major [rows, k] with lda,
// with beta == 0 meaning C is not read (BLAS semantics: it may hold NaN).
struct SkinnyKernel {
  const char* name;
  // Most rows one call takes; more rows go in several calls.
  int maxRows;
  // B stored [n, k] (op(B) = B^T, a checkpoint's weight layout): C[i][j] = dot(A row i, B row j).
  void (*dotRows)(int rows, int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha,
                  float beta);
  // B stored [k, n]: C row i = sum_p A[i][p] * B row p.
  void (*axpyRows)(int rows, int k, const float* a, long lda, const float* b, long ldb, int j0, int j1, float* c, long ldc, float alpha,
                   float beta);
};

const SkinnyKernel& scalarSkinnyKernel();
#if defined(__x86_64__) || defined(_M_X64)
const SkinnyKernel& avx2SkinnyKernel();
const SkinnyKernel& avx512SkinnyKernel();
#endif

// The kernel of the active ISA path (see cpu-features.h).
const SkinnyKernel& activeSkinnyKernel();

}  // namespace ferry
