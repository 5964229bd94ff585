#include "rowwise-kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "thread-pool.h"

namespace ferry {
namespace {

// Work items per thread below which a kernel stays on one thread.
constexpr long kGrainElements = 1 << 15;

long rowGrain(int d) { return std::max(1L, kGrainElements / std::max(d, 1)); }

double rowRsqrt(const float* x, int d, double eps) {
  double sumSq = 0;
  for (int i = 0; i < d; ++i) sumSq += static_cast<double>(x[i]) * x[i];
  return 1.0 / std::sqrt(sumSq / d + eps);
}

void rowStats(const float* x, int d, double eps, double* mean, double* rstd) {
  double sum = 0;
  for (int i = 0; i < d; ++i) sum += x[i];
  const double mu = sum / d;
  double variance = 0;
  for (int i = 0; i < d; ++i) variance += (x[i] - mu) * (x[i] - mu);
  *mean = mu;
  *rstd = 1.0 / std::sqrt(variance / d + eps);
}

// Per-chunk partial sums of parameter gradients, added up after the parallel part.
struct ParamGrads {
  explicit ParamGrads(int count, int d) : d(d), sums(static_cast<size_t>(count) * d, 0.0) {}
  double* chunk(int index) { return sums.data() + static_cast<size_t>(index) * d; }
  int d;
  std::vector<double> sums;
};

// Runs fn(chunkIndex, beginRow, endRow) over a fixed number of chunks, so partial gradient buffers can be preallocated.
template <typename Fn>
void forRowChunks(long rows, int chunks, Fn fn) {
  ThreadPool::instance().parallelFor(chunks, [&](int c) { fn(c, rows * c / chunks, rows * (c + 1) / chunks); });
}

int chunkCount(long rows, int d) {
  const long wanted = std::min<long>(ThreadPool::instance().size(), rows / rowGrain(d));
  return static_cast<int>(std::max(1L, wanted));
}

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

constexpr double kSqrt2OverPi = 0.79788456080286535588;  // sqrt(2 / pi)
constexpr double kGeluCubic = 0.044715;

}  // namespace

void softmaxRows(const float* x, float* y, long rows, int d) {
  parallelRange(rows, rowGrain(d), [&](long begin, long end) {
    std::vector<double> exps(d);
    for (long r = begin; r < end; ++r) {
      const float* in = x + r * d;
      float* out = y + r * d;
      double max = -std::numeric_limits<double>::infinity();
      for (int i = 0; i < d; ++i) max = std::max<double>(max, in[i]);
      double sum = 0;
      for (int i = 0; i < d; ++i) sum += exps[i] = std::exp(in[i] - max);
      for (int i = 0; i < d; ++i) out[i] = static_cast<float>(exps[i] / sum);
    }
  });
}

void softmaxBackwardRows(const float* y, const float* dy, float* dx, long rows, int d) {
  parallelRange(rows, rowGrain(d), [&](long begin, long end) {
    for (long r = begin; r < end; ++r) {
      const long base = r * d;
      double dot = 0;
      for (int i = 0; i < d; ++i) dot += static_cast<double>(dy[base + i]) * y[base + i];
      for (int i = 0; i < d; ++i) dx[base + i] = static_cast<float>(y[base + i] * (dy[base + i] - dot));
    }
  });
}

void rmsnormRows(const float* x, const float* gamma, float* y, long rows, int d, double eps) {
  parallelRange(rows, rowGrain(d), [&](long begin, long end) {
    for (long r = begin; r < end; ++r) {
      const float* in = x + r * d;
      const double inv = rowRsqrt(in, d, eps);
      for (int i = 0; i < d; ++i) y[r * d + i] = static_cast<float>(in[i] * inv * gamma[i]);
    }
  });
}

void rmsnormBackwardRows(const float* x, const float* gamma, const float* dy, float* dx, float* dgamma, long rows, int d, double eps) {
  const int chunks = chunkCount(rows, d);
  ParamGrads grads(chunks, d);
  forRowChunks(rows, chunks, [&](int c, long begin, long end) {
    double* dg = grads.chunk(c);
    for (long r = begin; r < end; ++r) {
      const long base = r * d;
      const double inv = rowRsqrt(x + base, d, eps);
      double meanGX = 0;
      for (int i = 0; i < d; ++i) {
        const double xhat = x[base + i] * inv;
        meanGX += static_cast<double>(dy[base + i]) * gamma[i] * xhat;
        dg[i] += dy[base + i] * xhat;
      }
      meanGX /= d;
      for (int i = 0; i < d; ++i) {
        const double xhat = x[base + i] * inv;
        dx[base + i] = static_cast<float>(inv * (static_cast<double>(dy[base + i]) * gamma[i] - xhat * meanGX));
      }
    }
  });
  for (int i = 0; i < d; ++i) {
    double sum = 0;
    for (int c = 0; c < chunks; ++c) sum += grads.chunk(c)[i];
    dgamma[i] = static_cast<float>(sum);
  }
}

void layernormRows(const float* x, const float* gamma, const float* beta, float* y, long rows, int d, double eps) {
  parallelRange(rows, rowGrain(d), [&](long begin, long end) {
    for (long r = begin; r < end; ++r) {
      const float* in = x + r * d;
      double mean, rstd;
      rowStats(in, d, eps, &mean, &rstd);
      for (int i = 0; i < d; ++i) y[r * d + i] = static_cast<float>((in[i] - mean) * rstd * gamma[i] + beta[i]);
    }
  });
}

void layernormBackwardRows(const float* x, const float* gamma, const float* dy, float* dx, float* dgamma, float* dbeta, long rows, int d,
                           double eps) {
  const int chunks = chunkCount(rows, d);
  ParamGrads gammaGrads(chunks, d), betaGrads(chunks, d);
  forRowChunks(rows, chunks, [&](int c, long begin, long end) {
    double* dg = gammaGrads.chunk(c);
    double* db = betaGrads.chunk(c);
    for (long r = begin; r < end; ++r) {
      const long base = r * d;
      double mean, rstd;
      rowStats(x + base, d, eps, &mean, &rstd);
      double meanG = 0, meanGX = 0;
      for (int i = 0; i < d; ++i) {
        const double xhat = (x[base + i] - mean) * rstd;
        const double g = static_cast<double>(dy[base + i]) * gamma[i];
        meanG += g;
        meanGX += g * xhat;
        dg[i] += dy[base + i] * xhat;
        db[i] += dy[base + i];
      }
      meanG /= d;
      meanGX /= d;
      for (int i = 0; i < d; ++i) {
        const double xhat = (x[base + i] - mean) * rstd;
        const double g = static_cast<double>(dy[base + i]) * gamma[i];
        dx[base + i] = static_cast<float>(rstd * (g - meanG - xhat * meanGX));
      }
    }
  });
  for (int i = 0; i < d; ++i) {
    double sumG = 0, sumB = 0;
    for (int c = 0; c < chunks; ++c) {
      sumG += gammaGrads.chunk(c)[i];
      sumB += betaGrads.chunk(c)[i];
    }
    dgamma[i] = static_cast<float>(sumG);
    dbeta[i] = static_cast<float>(sumB);
  }
}

void activationForward(Activation act, const float* x, float* y, long n) {
  parallelRange(n, kGrainElements, [&](long begin, long end) {
    if (act == Activation::Silu) {
      for (long i = begin; i < end; ++i) y[i] = static_cast<float>(x[i] * sigmoid(x[i]));
    } else {
      for (long i = begin; i < end; ++i) {
        const double v = x[i];
        y[i] = static_cast<float>(0.5 * v * (1 + std::tanh(kSqrt2OverPi * (v + kGeluCubic * v * v * v))));
      }
    }
  });
}

void activationBackward(Activation act, const float* x, const float* dy, float* dx, long n) {
  parallelRange(n, kGrainElements, [&](long begin, long end) {
    for (long i = begin; i < end; ++i) {
      const double v = x[i];
      double derivative;
      if (act == Activation::Silu) {
        const double s = sigmoid(v);
        derivative = s * (1 + v * (1 - s));
      } else {
        const double t = std::tanh(kSqrt2OverPi * (v + kGeluCubic * v * v * v));
        derivative = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * kSqrt2OverPi * (1 + 3 * kGeluCubic * v * v);
      }
      dx[i] = static_cast<float>(dy[i] * derivative);
    }
  });
}

}  // namespace ferry
