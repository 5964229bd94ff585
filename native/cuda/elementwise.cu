// One thread per element (or per rotated pair), in f64 like the js reference.
#include "cuda-check.h"
#include "ferry-cuda.h"

namespace ferry {
namespace {

constexpr unsigned kThreads = 256;
constexpr double kSqrt2OverPi = 0.7978845608028654;  // Math.sqrt(2 / Math.PI)
constexpr double kGeluCubic = 0.044715;

__device__ double sigmoid(double v) { return 1.0 / (1.0 + exp(-v)); }

__device__ double forward(Activation op, double v) {
  if (op == Activation::Silu) return v * sigmoid(v);
  return 0.5 * v * (1.0 + tanh(kSqrt2OverPi * (v + kGeluCubic * v * v * v)));
}

__device__ double derivative(Activation op, double v) {
  if (op == Activation::Silu) {
    const double s = sigmoid(v);
    return s * (1.0 + v * (1.0 - s));
  }
  const double t = tanh(kSqrt2OverPi * (v + kGeluCubic * v * v * v));
  return 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * kSqrt2OverPi * (1.0 + 3.0 * kGeluCubic * v * v);
}

__global__ void activationKernel(Activation op, const float* x, float* out, size_t n) {
  const size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) out[i] = static_cast<float>(forward(op, x[i]));
}

__global__ void activationBackwardKernel(Activation op, const float* x, const float* dy, float* dx, size_t n) {
  const size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) dx[i] = static_cast<float>(dy[i] * derivative(op, x[i]));
}

// One thread per (b, t, h, i < D/2) pair; the angle is position * theta^(-2i/D) in f64.
__global__ void ropeKernel(const float* x, float* out, RopeShape s) {
  const int half = s.dim / 2;
  const size_t pair = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (pair >= static_cast<size_t>(s.batch) * s.time * s.heads * half) return;
  const int i = pair % half;
  const size_t row = pair / half;
  const int t = (row / s.heads) % s.time;
  const double angle = static_cast<double>(t + s.positionOffset) * pow(s.theta, (-2.0 * i) / s.dim);
  const double cosine = cos(angle);
  const double sine = s.direction * sin(angle);
  const size_t base = row * s.dim;
  const double x1 = x[base + i];
  const double x2 = x[base + i + half];
  out[base + i] = static_cast<float>(x1 * cosine - x2 * sine);
  out[base + i + half] = static_cast<float>(x2 * cosine + x1 * sine);
}

__global__ void adamwKernel(float* param, const float* grad, float* m, float* v, size_t n, AdamWStep s) {
  const size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const double g = grad[i];
  const double mi = s.beta1 * m[i] + (1.0 - s.beta1) * g;
  const double vi = s.beta2 * v[i] + (1.0 - s.beta2) * g * g;
  m[i] = static_cast<float>(mi);
  v[i] = static_cast<float>(vi);
  const double decay = 1.0 - s.lr * s.weightDecay;
  param[i] = static_cast<float>(param[i] * decay - (s.lr * (mi / s.correction1)) / (sqrt(vi / s.correction2) + s.eps));
}

}  // namespace

void activation(Activation op, const float* x, float* out, size_t n) {
  if (n == 0) return;
  DeviceBuffer<float> dX(x, n), dOut(n);
  activationKernel<<<blocksFor(n, kThreads), kThreads>>>(op, dX.get(), dOut.get(), n);
  checkLaunch("activation kernel");
  dOut.download(out);
}

void activationBackward(Activation op, const float* x, const float* dy, float* dx, size_t n) {
  if (n == 0) return;
  DeviceBuffer<float> dX(x, n), dDy(dy, n), dDx(n);
  activationBackwardKernel<<<blocksFor(n, kThreads), kThreads>>>(op, dX.get(), dDy.get(), dDx.get(), n);
  checkLaunch("activation backward kernel");
  dDx.download(dx);
}

void rope(const float* x, float* out, const RopeShape& s) {
  const size_t size = static_cast<size_t>(s.batch) * s.time * s.heads * s.dim;
  if (size == 0) return;
  DeviceBuffer<float> dX(x, size), dOut(size);
  ropeKernel<<<blocksFor(size / 2, kThreads), kThreads>>>(dX.get(), dOut.get(), s);
  checkLaunch("rope kernel");
  dOut.download(out);
}

void adamw(float* param, const float* grad, float* m, float* v, size_t n, const AdamWStep& step) {
  if (n == 0) return;
  DeviceBuffer<float> dParam(param, n), dGrad(grad, n), dM(m, n), dV(v, n);
  adamwKernel<<<blocksFor(n, kThreads), kThreads>>>(dParam.get(), dGrad.get(), dM.get(), dV.get(), n, step);
  checkLaunch("adamw kernel");
  dParam.download(param);
  dM.download(m);
  dV.download(v);
}

}  // namespace ferry
