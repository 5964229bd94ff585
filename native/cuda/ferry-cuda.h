#pragma once
// Host entry points of the CUDA kernels. Every pointer is host memory: each
// call uploads its inputs, runs, downloads its outputs and throws
// std::runtime_error on any CUDA failure. Shapes are validated by the caller.
#include <cstddef>
#include <cstdint>
#include <string>

namespace ferry {

struct DeviceReport {
  int count;
  std::string error;  // cudaGetErrorString when the count could not be read
  std::string firstName;
  int major, minor;
  size_t totalMemory;
};
DeviceReport queryDevices();

struct GemmShape {
  int batch, m, n, k;
  bool transA, transB, bBatched;
  float alpha, beta;
};
// `c` is read only when beta != 0 (BLAS semantics); it may be null otherwise.
void matmul(const float* a, const float* b, const float* c, float* out, const GemmShape& shape);

void softmax(const float* x, float* out, size_t rows, int d);
void softmaxBackward(const float* y, const float* dy, float* dx, size_t rows, int d);
void layernorm(const float* x, const float* gamma, const float* beta, float* out, size_t rows, int d, double eps);
void layernormBackward(const float* x, const float* gamma, const float* dy, float* dx, float* dgamma, float* dbeta, size_t rows, int d, double eps);
void rmsnorm(const float* x, const float* gamma, float* out, size_t rows, int d, double eps);
void rmsnormBackward(const float* x, const float* gamma, const float* dy, float* dx, float* dgamma, size_t rows, int d, double eps);
// Per-row loss (0 for ignored rows); the caller sums in order.
void crossEntropyRows(const float* logits, const int32_t* targets, double* rowLoss, size_t rows, int vocab, int ignoreIndex);
void crossEntropyBackward(const float* logits, const int32_t* targets, float* grad, size_t rows, int vocab, int ignoreIndex, int count);

enum class Activation { Silu = 0, Gelu = 1 };
void activation(Activation op, const float* x, float* out, size_t n);
void activationBackward(Activation op, const float* x, const float* dy, float* dx, size_t n);

struct RopeShape {
  int batch, time, heads, dim;
  double theta;
  long long positionOffset;
  int direction;  // 1 forward, -1 backward (inverse rotation)
};
void rope(const float* x, float* out, const RopeShape& shape);

struct AttentionShape {
  int batch, time, keys, qHeads, kvHeads, dim;
  float scale;
  bool causal;
};
constexpr int kMaxAttentionDim = 256;
void attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape);
void attentionBackward(const float* q, const float* k, const float* v, const float* dout, float* dq, float* dk, float* dv, const AttentionShape& shape);

struct AdamWStep {
  double lr, beta1, beta2, eps, weightDecay, correction1, correction2;
};
void adamw(float* param, const float* grad, float* m, float* v, size_t n, const AdamWStep& step);

void quantizeInt8(const float* x, int8_t* q, float* scale, size_t rows, int cols);
void dequantizeInt8(const int8_t* q, const float* scale, float* out, size_t rows, int cols);

struct Nf4Host {
  const uint8_t* packed;
  const int8_t* absmaxQ;
  const float* absmaxScale;
  double absmaxMean;
  size_t size;
};
// Fills packed / absmaxQ / absmaxScale (sized as in the Nf4Tensor contract) and returns absmaxMean.
float quantizeNf4(const float* x, size_t size, uint8_t* packed, int8_t* absmaxQ, float* absmaxScale);
void dequantizeNf4(const Nf4Host& w, float* out);
void nf4Matmul(const float* x, const Nf4Host& w, float* out, int rows, int n, int k);

// Device-pointer variants, for the benchmark: no transfers, no synchronisation.
void matmulOnDevice(const float* a, const float* b, const float* c, float* out, const GemmShape& shape);
void attentionOnDevice(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape);
// Milliseconds per call of the kernel alone (CUDA events), on device buffers of zeros.
double timeMatmul(int m, int n, int k, int iterations);
double timeAttention(const AttentionShape& shape, int iterations);

void topkSimilarity(const float* queries, const float* matrix, int32_t* indices, float* scores, int queryCount, int rows, int dim, int k, bool cosine);

}  // namespace ferry
