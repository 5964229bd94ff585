#pragma once
// Row kernels reduce in double so they round like the js reference, which
// accumulates in f64; they are memory bound, so the f64 math is nearly free.
#include <cmath>

namespace ferry {

constexpr int kRowThreads = 256;

struct SumOp {
  __device__ double operator()(double a, double b) const { return a + b; }
};
struct MaxOp {
  __device__ double operator()(double a, double b) const { return fmax(a, b); }
};

// Every thread of the block (a multiple of 32 threads) gets the result.
template <typename Op>
__device__ double blockReduce(double value, Op op) {
  __shared__ double partial[32];
  for (int offset = 16; offset > 0; offset >>= 1) value = op(value, __shfl_xor_sync(0xffffffffu, value, offset));
  __syncthreads();  // an earlier call may still be reading `partial`
  if ((threadIdx.x & 31) == 0) partial[threadIdx.x >> 5] = value;
  __syncthreads();
  double result = partial[0];
  for (int w = 1; w < static_cast<int>(blockDim.x >> 5); w++) result = op(result, partial[w]);
  return result;
}

__device__ inline float warpSum(float value) {
  for (int offset = 16; offset > 0; offset >>= 1) value += __shfl_xor_sync(0xffffffffu, value, offset);
  return value;
}

}  // namespace ferry
