// Kernels over the last dimension: one block per row, f64 reductions and
// arithmetic so results round like the js reference. Parameter gradients
// (dgamma, dbeta) are summed by a second, per-column kernel over saved row
// statistics: deterministic, no atomics, rows added in order.
#include "block-reduce.cuh"
#include "cuda-check.h"
#include "ferry-cuda.h"

namespace ferry {
namespace {

__global__ void softmaxKernel(const float* x, float* out, int d) {
  const size_t base = static_cast<size_t>(blockIdx.x) * d;
  double max = -INFINITY;
  for (int i = threadIdx.x; i < d; i += blockDim.x) max = fmax(max, static_cast<double>(x[base + i]));
  max = blockReduce(max, MaxOp{});
  double sum = 0;
  for (int i = threadIdx.x; i < d; i += blockDim.x) sum += exp(x[base + i] - max);
  sum = blockReduce(sum, SumOp{});
  for (int i = threadIdx.x; i < d; i += blockDim.x) out[base + i] = static_cast<float>(exp(x[base + i] - max) / sum);
}

__global__ void softmaxBackwardKernel(const float* y, const float* dy, float* dx, int d) {
  const size_t base = static_cast<size_t>(blockIdx.x) * d;
  double dot = 0;
  for (int i = threadIdx.x; i < d; i += blockDim.x) dot += static_cast<double>(dy[base + i]) * y[base + i];
  dot = blockReduce(dot, SumOp{});
  for (int i = threadIdx.x; i < d; i += blockDim.x) dx[base + i] = static_cast<float>(y[base + i] * (dy[base + i] - dot));
}

// mean (layernorm) or 0 (rmsnorm) and 1 / sqrt(var + eps) of one row.
template <bool kCentered>
__device__ void rowStats(const float* row, int d, double eps, double* mean, double* rstd) {
  double m = 0;
  if (kCentered) {
    for (int i = threadIdx.x; i < d; i += blockDim.x) m += row[i];
    m = blockReduce(m, SumOp{}) / d;
  }
  double sq = 0;
  for (int i = threadIdx.x; i < d; i += blockDim.x) sq += (row[i] - m) * (row[i] - m);
  sq = blockReduce(sq, SumOp{}) / d;
  *mean = m;
  *rstd = 1.0 / sqrt(sq + eps);
}

template <bool kCentered>
__global__ void normKernel(const float* x, const float* gamma, const float* beta, float* out, int d, double eps) {
  const size_t base = static_cast<size_t>(blockIdx.x) * d;
  double mean, rstd;
  rowStats<kCentered>(x + base, d, eps, &mean, &rstd);
  for (int i = threadIdx.x; i < d; i += blockDim.x) {
    const double scaled = (x[base + i] - mean) * rstd * gamma[i];
    out[base + i] = static_cast<float>(kCentered ? scaled + beta[i] : scaled);
  }
}

// dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * gamma; rmsnorm drops mean(g).
template <bool kCentered>
__global__ void normBackwardKernel(const float* x, const float* gamma, const float* dy, float* dx, double* means, double* rstds, int d, double eps) {
  const size_t base = static_cast<size_t>(blockIdx.x) * d;
  double mean, rstd;
  rowStats<kCentered>(x + base, d, eps, &mean, &rstd);
  double meanG = 0;
  double meanGX = 0;
  for (int i = threadIdx.x; i < d; i += blockDim.x) {
    const double g = static_cast<double>(dy[base + i]) * gamma[i];
    meanG += g;
    meanGX += g * ((x[base + i] - mean) * rstd);
  }
  meanG = kCentered ? blockReduce(meanG, SumOp{}) / d : 0.0;
  meanGX = blockReduce(meanGX, SumOp{}) / d;
  for (int i = threadIdx.x; i < d; i += blockDim.x) {
    const double xhat = (x[base + i] - mean) * rstd;
    const double g = static_cast<double>(dy[base + i]) * gamma[i];
    dx[base + i] = static_cast<float>(rstd * (g - meanG - xhat * meanGX));
  }
  if (threadIdx.x == 0) {
    means[blockIdx.x] = mean;
    rstds[blockIdx.x] = rstd;
  }
}

__global__ void normParamGradKernel(const float* x, const float* dy, const double* means, const double* rstds, float* dgamma, float* dbeta, size_t rows, int d) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= d) return;
  double sumGamma = 0;
  double sumBeta = 0;
  for (size_t row = 0; row < rows; row++) {
    const size_t at = row * d + i;
    sumGamma += dy[at] * ((x[at] - means[row]) * rstds[row]);
    sumBeta += dy[at];
  }
  dgamma[i] = static_cast<float>(sumGamma);
  if (dbeta != nullptr) dbeta[i] = static_cast<float>(sumBeta);
}

__device__ double rowLogSumExp(const float* row, int vocab) {
  double max = -INFINITY;
  for (int i = threadIdx.x; i < vocab; i += blockDim.x) max = fmax(max, static_cast<double>(row[i]));
  max = blockReduce(max, MaxOp{});
  double sum = 0;
  for (int i = threadIdx.x; i < vocab; i += blockDim.x) sum += exp(row[i] - max);
  return max + log(blockReduce(sum, SumOp{}));
}

__global__ void crossEntropyKernel(const float* logits, const int32_t* targets, double* rowLoss, int vocab, int ignoreIndex) {
  const int target = targets[blockIdx.x];
  if (target == ignoreIndex) {
    if (threadIdx.x == 0) rowLoss[blockIdx.x] = 0;
    return;
  }
  const float* row = logits + static_cast<size_t>(blockIdx.x) * vocab;
  const double lse = rowLogSumExp(row, vocab);
  if (threadIdx.x == 0) rowLoss[blockIdx.x] = lse - row[target];
}

__global__ void crossEntropyBackwardKernel(const float* logits, const int32_t* targets, float* grad, int vocab, int ignoreIndex, int count) {
  const int target = targets[blockIdx.x];
  const size_t base = static_cast<size_t>(blockIdx.x) * vocab;
  if (target == ignoreIndex) {
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) grad[base + i] = 0.0f;
    return;
  }
  const double lse = rowLogSumExp(logits + base, vocab);
  for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
    grad[base + i] = static_cast<float>((exp(logits[base + i] - lse) - (i == target ? 1.0 : 0.0)) / count);
  }
}

template <bool kCentered>
void normBackward(const float* x, const float* gamma, const float* dy, float* dx, float* dgamma, float* dbeta, size_t rows, int d, double eps) {
  const size_t size = rows * d;
  DeviceBuffer<float> dX(x, size), dGamma(gamma, d), dDy(dy, size), dDx(size), dDgamma(d), dDbeta(kCentered ? d : 0);
  DeviceBuffer<double> means(rows), rstds(rows);
  if (rows > 0) {
    normBackwardKernel<kCentered><<<rows, kRowThreads>>>(dX.get(), dGamma.get(), dDy.get(), dDx.get(), means.get(), rstds.get(), d, eps);
    checkLaunch("norm backward kernel");
  }
  normParamGradKernel<<<blocksFor(d, 256), 256>>>(dX.get(), dDy.get(), means.get(), rstds.get(), dDgamma.get(), dDbeta.get(), rows, d);
  checkLaunch("norm parameter gradient kernel");
  dDx.download(dx);
  dDgamma.download(dgamma);
  if (kCentered) dDbeta.download(dbeta);
}

}  // namespace

void softmax(const float* x, float* out, size_t rows, int d) {
  if (rows == 0 || d == 0) return;
  DeviceBuffer<float> dX(x, rows * d), dOut(rows * d);
  softmaxKernel<<<rows, kRowThreads>>>(dX.get(), dOut.get(), d);
  checkLaunch("softmax kernel");
  dOut.download(out);
}

void softmaxBackward(const float* y, const float* dy, float* dx, size_t rows, int d) {
  if (rows == 0 || d == 0) return;
  DeviceBuffer<float> dY(y, rows * d), dDy(dy, rows * d), dDx(rows * d);
  softmaxBackwardKernel<<<rows, kRowThreads>>>(dY.get(), dDy.get(), dDx.get(), d);
  checkLaunch("softmaxBackward kernel");
  dDx.download(dx);
}

void layernorm(const float* x, const float* gamma, const float* beta, float* out, size_t rows, int d, double eps) {
  if (rows == 0 || d == 0) return;
  DeviceBuffer<float> dX(x, rows * d), dGamma(gamma, d), dBeta(beta, d), dOut(rows * d);
  normKernel<true><<<rows, kRowThreads>>>(dX.get(), dGamma.get(), dBeta.get(), dOut.get(), d, eps);
  checkLaunch("layernorm kernel");
  dOut.download(out);
}

void layernormBackward(const float* x, const float* gamma, const float* dy, float* dx, float* dgamma, float* dbeta, size_t rows, int d, double eps) {
  if (d == 0) return;
  normBackward<true>(x, gamma, dy, dx, dgamma, dbeta, rows, d, eps);
}

void rmsnorm(const float* x, const float* gamma, float* out, size_t rows, int d, double eps) {
  if (rows == 0 || d == 0) return;
  DeviceBuffer<float> dX(x, rows * d), dGamma(gamma, d), dOut(rows * d);
  normKernel<false><<<rows, kRowThreads>>>(dX.get(), dGamma.get(), nullptr, dOut.get(), d, eps);
  checkLaunch("rmsnorm kernel");
  dOut.download(out);
}

void rmsnormBackward(const float* x, const float* gamma, const float* dy, float* dx, float* dgamma, size_t rows, int d, double eps) {
  if (d == 0) return;
  normBackward<false>(x, gamma, dy, dx, dgamma, nullptr, rows, d, eps);
}

void crossEntropyRows(const float* logits, const int32_t* targets, double* rowLoss, size_t rows, int vocab, int ignoreIndex) {
  if (rows == 0) return;
  DeviceBuffer<float> dLogits(logits, rows * vocab);
  DeviceBuffer<int32_t> dTargets(targets, rows);
  DeviceBuffer<double> dLoss(rows);
  crossEntropyKernel<<<rows, kRowThreads>>>(dLogits.get(), dTargets.get(), dLoss.get(), vocab, ignoreIndex);
  checkLaunch("crossEntropy kernel");
  dLoss.download(rowLoss);
}

void crossEntropyBackward(const float* logits, const int32_t* targets, float* grad, size_t rows, int vocab, int ignoreIndex, int count) {
  if (rows == 0 || vocab == 0) return;
  DeviceBuffer<float> dLogits(logits, rows * vocab), dGrad(rows * vocab);
  DeviceBuffer<int32_t> dTargets(targets, rows);
  crossEntropyBackwardKernel<<<rows, kRowThreads>>>(dLogits.get(), dTargets.get(), dGrad.get(), vocab, ignoreIndex, count);
  checkLaunch("crossEntropyBackward kernel");
  dGrad.download(grad);
}

}  // namespace ferry
