// SGEMM: 128x128 output tiles, K in steps of 8 through shared memory, each of
// the 256 threads accumulating an 8x8 register block (f32 FMA, no tensor cores,
// so results stay within f32 rounding of the reference). The operand loaders are
// template parameters so nf4Matmul reuses the kernel, decoding its weight
// while the tile is staged instead of materialising it in f32.
#include "cuda-check.h"
#include "ferry-cuda.h"
#include "nf4-codebook.cuh"

namespace ferry {
namespace {

constexpr int kTileM = 128;
constexpr int kTileN = 128;
constexpr int kTileK = 8;
constexpr int kThreads = 256;
constexpr int kPerThread = 8;  // register block is kPerThread x kPerThread
constexpr int kLoads = kTileM * kTileK / kThreads;
// A thread's rows (and columns) are kStride apart, so the 16 threads of a
// half-warp read consecutive shared-memory words (no bank conflicts) and
// write consecutive output columns.
constexpr int kStride = kTileN / kPerThread;

// op(a) as [M, K]; stored [M, K], or [K, M] when transposed.
struct DenseA {
  const float* data;
  bool trans;
  int m, k;
  // Whether consecutive threads should walk K (contiguous in memory) rather than M.
  __device__ bool kFastest() const { return !trans; }
  __device__ float at(int batch, int i, int p) const {
    if (i >= m || p >= k) return 0.0f;
    const size_t base = static_cast<size_t>(batch) * m * k;
    return trans ? data[base + static_cast<size_t>(p) * m + i] : data[base + static_cast<size_t>(i) * k + p];
  }
};

// op(b) as [K, N]; stored [K, N], or [N, K] when transposed.
struct DenseB {
  const float* data;
  bool trans, batched;
  int n, k;
  __device__ bool kFastest() const { return trans; }
  __device__ float at(int batch, int p, int j) const {
    if (j >= n || p >= k) return 0.0f;
    const size_t base = batched ? static_cast<size_t>(batch) * n * k : 0;
    return trans ? data[base + static_cast<size_t>(j) * k + p] : data[base + static_cast<size_t>(p) * n + j];
  }
};

// dequantize(w)^T for an NF4 weight stored [N, K].
struct Nf4B {
  Nf4Device w;
  int n, k;
  __device__ bool kFastest() const { return true; }
  __device__ float at(int, int p, int j) const {
    if (j >= n || p >= k) return 0.0f;
    return static_cast<float>(nf4Decode(w, static_cast<size_t>(j) * k + p));
  }
};

template <typename A, typename B>
__global__ void __launch_bounds__(kThreads) gemmKernel(A a, B b, const float* c, float* out, int m, int n, int k, float alpha, float beta) {
  __shared__ float tileA[kTileK][kTileM];
  __shared__ float tileB[kTileK][kTileN];
  const int batch = blockIdx.z;
  const int rowBase = blockIdx.y * kTileM;
  const int colBase = blockIdx.x * kTileN;
  const int tx = threadIdx.x % kStride;
  const int ty = threadIdx.x / kStride;
  float acc[kPerThread][kPerThread] = {};

  for (int p0 = 0; p0 < k; p0 += kTileK) {
    for (int l = 0; l < kLoads; l++) {
      const int e = threadIdx.x + l * kThreads;
      const int ai = a.kFastest() ? e / kTileK : e % kTileM;
      const int ap = a.kFastest() ? e % kTileK : e / kTileM;
      tileA[ap][ai] = a.at(batch, rowBase + ai, p0 + ap);
      const int bj = b.kFastest() ? e / kTileK : e % kTileN;
      const int bp = b.kFastest() ? e % kTileK : e / kTileN;
      tileB[bp][bj] = b.at(batch, p0 + bp, colBase + bj);
    }
    __syncthreads();
#pragma unroll
    for (int p = 0; p < kTileK; p++) {
      float ra[kPerThread];
      float rb[kPerThread];
#pragma unroll
      for (int r = 0; r < kPerThread; r++) ra[r] = tileA[p][ty + r * kStride];
#pragma unroll
      for (int s = 0; s < kPerThread; s++) rb[s] = tileB[p][tx + s * kStride];
#pragma unroll
      for (int r = 0; r < kPerThread; r++)
#pragma unroll
        for (int s = 0; s < kPerThread; s++) acc[r][s] = fmaf(ra[r], rb[s], acc[r][s]);
    }
    __syncthreads();
  }

  const size_t outBase = static_cast<size_t>(batch) * m * n;
  for (int r = 0; r < kPerThread; r++) {
    const int i = rowBase + ty + r * kStride;
    if (i >= m) break;
    for (int s = 0; s < kPerThread; s++) {
      const int j = colBase + tx + s * kStride;
      if (j >= n) break;
      const size_t at = outBase + static_cast<size_t>(i) * n + j;
      // BLAS semantics: with beta = 0, c is not read (it may hold NaN).
      out[at] = alpha * acc[r][s] + (beta == 0.0f ? 0.0f : beta * c[at]);
    }
  }
}

template <typename A, typename B>
void launchGemm(const A& a, const B& b, const float* c, float* out, int batch, int m, int n, int k, float alpha, float beta) {
  const dim3 grid(blocksFor(n, kTileN), blocksFor(m, kTileM), batch);
  gemmKernel<<<grid, kThreads>>>(a, b, c, out, m, n, k, alpha, beta);
  checkLaunch("matmul kernel");
}

}  // namespace

void matmulOnDevice(const float* a, const float* b, const float* c, float* out, const GemmShape& s) {
  launchGemm(DenseA{a, s.transA, s.m, s.k}, DenseB{b, s.transB, s.bBatched, s.n, s.k}, c, out, s.batch, s.m, s.n, s.k, s.alpha, c == nullptr ? 0.0f : s.beta);
}

void matmul(const float* a, const float* b, const float* c, float* out, const GemmShape& s) {
  const size_t outSize = static_cast<size_t>(s.batch) * s.m * s.n;
  if (outSize == 0) return;
  DeviceBuffer<float> dA(a, static_cast<size_t>(s.batch) * s.m * s.k);
  DeviceBuffer<float> dB(b, static_cast<size_t>(s.bBatched ? s.batch : 1) * s.k * s.n);
  const bool readC = c != nullptr && s.beta != 0.0f;
  DeviceBuffer<float> dC(readC ? outSize : 0);
  if (readC) dC.upload(c);
  DeviceBuffer<float> dOut(outSize);
  matmulOnDevice(dA.get(), dB.get(), readC ? dC.get() : nullptr, dOut.get(), s);
  dOut.download(out);
}

void nf4Matmul(const float* x, const Nf4Host& w, float* out, int rows, int n, int k) {
  const size_t outSize = static_cast<size_t>(rows) * n;
  if (outSize == 0) return;
  const size_t blocks = (w.size + kNf4BlockSize - 1) / kNf4BlockSize;
  DeviceBuffer<float> dX(x, static_cast<size_t>(rows) * k);
  DeviceBuffer<uint8_t> dPacked(w.packed, (w.size + 1) / 2);
  DeviceBuffer<int8_t> dAbsmaxQ(w.absmaxQ, blocks);
  DeviceBuffer<float> dAbsmaxScale(w.absmaxScale, (blocks + kNf4AbsmaxBlockSize - 1) / kNf4AbsmaxBlockSize);
  DeviceBuffer<float> dOut(outSize);
  const Nf4Device weight{dPacked.get(), dAbsmaxQ.get(), dAbsmaxScale.get(), w.absmaxMean};
  launchGemm(DenseA{dX.get(), false, rows, k}, Nf4B{weight, n, k}, nullptr, dOut.get(), 1, rows, n, k, 1.0f, 0.0f);
  dOut.download(out);
}

}  // namespace ferry
