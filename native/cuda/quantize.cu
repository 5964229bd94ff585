// Int8 and NF4 (de)quantisation. Divisions and rounding are done in f64 on
// f32 inputs, exactly as the js reference, so the integer codes agree bit for
// bit rather than within a tolerance.
#include "block-reduce.cuh"
#include "cuda-check.h"
#include "ferry-cuda.h"
#include "nf4-codebook.cuh"

#include <vector>

namespace ferry {
namespace {

constexpr unsigned kThreads = 256;

// Round half away from zero, clamped to the symmetric range [-127, 127].
__device__ int8_t roundToInt8(double value) {
  const double rounded = copysign(round(fabs(value)), value);
  return static_cast<int8_t>(fmax(-127.0, fmin(127.0, rounded)));
}

__global__ void quantizeInt8Kernel(const float* x, int8_t* q, float* scale, int cols) {
  const size_t base = static_cast<size_t>(blockIdx.x) * cols;
  double absmax = 0;
  for (int i = threadIdx.x; i < cols; i += blockDim.x) absmax = fmax(absmax, fabs(static_cast<double>(x[base + i])));
  absmax = blockReduce(absmax, MaxOp{});
  const float s = static_cast<float>(absmax / 127.0);
  if (threadIdx.x == 0) scale[blockIdx.x] = s;
  for (int i = threadIdx.x; i < cols; i += blockDim.x) q[base + i] = s == 0.0f ? 0 : roundToInt8(x[base + i] / static_cast<double>(s));
}

__global__ void dequantizeInt8Kernel(const int8_t* q, const float* scale, float* out, size_t size, int cols) {
  const size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < size) out[i] = static_cast<float>(q[i] * static_cast<double>(scale[i / cols]));
}

__device__ int nearestNf4Code(double normalized) {
  int code = 0;
  while (code < 15 && normalized > (kNf4Codebook[code] + kNf4Codebook[code + 1]) / 2) code++;
  return code;
}

// One thread per block of 64: its absmax, then its codes, two to a byte
// (blocks start at even elements, so no byte is shared between threads).
__global__ void nf4BlocksKernel(const float* x, size_t size, uint8_t* packed, double* absmax) {
  const size_t block = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const size_t start = block * kNf4BlockSize;
  if (start >= size) return;
  const size_t end = min(start + kNf4BlockSize, size);
  double max = 0;
  for (size_t i = start; i < end; i++) max = fmax(max, fabs(static_cast<double>(x[i])));
  absmax[block] = max;
  for (size_t i = start; i < end; i += 2) {
    const int high = nearestNf4Code(max == 0 ? 0.0 : x[i] / max);
    const int low = i + 1 < end ? nearestNf4Code(max == 0 ? 0.0 : x[i + 1] / max) : 0;
    packed[i >> 1] = static_cast<uint8_t>((high << 4) | low);
  }
}

// One thread per group of 256 block absmax values: symmetric int8 around the mean.
__global__ void nf4GroupsKernel(const double* absmax, size_t blocks, double mean, int8_t* absmaxQ, float* absmaxScale) {
  const size_t group = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const size_t start = group * kNf4AbsmaxBlockSize;
  if (start >= blocks) return;
  const size_t end = min(start + kNf4AbsmaxBlockSize, blocks);
  double max = 0;
  for (size_t b = start; b < end; b++) max = fmax(max, fabs(absmax[b] - mean));
  const float scale = static_cast<float>(max / 127.0);
  absmaxScale[group] = scale;
  for (size_t b = start; b < end; b++) absmaxQ[b] = scale == 0.0f ? 0 : roundToInt8((absmax[b] - mean) / scale);
}

__global__ void dequantizeNf4Kernel(Nf4Device w, size_t size, float* out) {
  const size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < size) out[i] = static_cast<float>(nf4Decode(w, i));
}

size_t nf4Blocks(size_t size) { return (size + kNf4BlockSize - 1) / kNf4BlockSize; }
size_t nf4Groups(size_t blocks) { return (blocks + kNf4AbsmaxBlockSize - 1) / kNf4AbsmaxBlockSize; }

}  // namespace

void quantizeInt8(const float* x, int8_t* q, float* scale, size_t rows, int cols) {
  if (rows == 0) return;
  DeviceBuffer<float> dX(x, rows * cols), dScale(rows);
  DeviceBuffer<int8_t> dQ(rows * cols);
  quantizeInt8Kernel<<<rows, kRowThreads>>>(dX.get(), dQ.get(), dScale.get(), cols);
  checkLaunch("quantizeInt8 kernel");
  dQ.download(q);
  dScale.download(scale);
}

void dequantizeInt8(const int8_t* q, const float* scale, float* out, size_t rows, int cols) {
  const size_t size = rows * cols;
  if (size == 0) return;
  DeviceBuffer<int8_t> dQ(q, size);
  DeviceBuffer<float> dScale(scale, rows), dOut(size);
  dequantizeInt8Kernel<<<blocksFor(size, kThreads), kThreads>>>(dQ.get(), dScale.get(), dOut.get(), size, cols);
  checkLaunch("dequantizeInt8 kernel");
  dOut.download(out);
}

float quantizeNf4(const float* x, size_t size, uint8_t* packed, int8_t* absmaxQ, float* absmaxScale) {
  const size_t blocks = nf4Blocks(size);
  if (blocks == 0) return 0.0f;
  DeviceBuffer<float> dX(x, size);
  DeviceBuffer<uint8_t> dPacked((size + 1) / 2);
  DeviceBuffer<double> dAbsmax(blocks);
  nf4BlocksKernel<<<blocksFor(blocks, kThreads), kThreads>>>(dX.get(), size, dPacked.get(), dAbsmax.get());
  checkLaunch("quantizeNf4 blocks kernel");
  // The mean is summed on the host in block order, as the reference does, so
  // it rounds to the same f32 and every absmaxQ code matches.
  std::vector<double> absmax(blocks);
  dAbsmax.download(absmax.data());
  double total = 0;
  for (const double value : absmax) total += value;
  const float mean = static_cast<float>(total / static_cast<double>(blocks));
  const size_t groups = nf4Groups(blocks);
  DeviceBuffer<int8_t> dAbsmaxQ(blocks);
  DeviceBuffer<float> dAbsmaxScale(groups);
  nf4GroupsKernel<<<blocksFor(groups, kThreads), kThreads>>>(dAbsmax.get(), blocks, mean, dAbsmaxQ.get(), dAbsmaxScale.get());
  checkLaunch("quantizeNf4 groups kernel");
  dPacked.download(packed);
  dAbsmaxQ.download(absmaxQ);
  dAbsmaxScale.download(absmaxScale);
  return mean;
}

void dequantizeNf4(const Nf4Host& w, float* out) {
  if (w.size == 0) return;
  const size_t blocks = nf4Blocks(w.size);
  DeviceBuffer<uint8_t> dPacked(w.packed, (w.size + 1) / 2);
  DeviceBuffer<int8_t> dAbsmaxQ(w.absmaxQ, blocks);
  DeviceBuffer<float> dAbsmaxScale(w.absmaxScale, nf4Groups(blocks)), dOut(w.size);
  dequantizeNf4Kernel<<<blocksFor(w.size, kThreads), kThreads>>>(Nf4Device{dPacked.get(), dAbsmaxQ.get(), dAbsmaxScale.get(), w.absmaxMean}, w.size,
                                                                  dOut.get());
  checkLaunch("dequantizeNf4 kernel");
  dOut.download(out);
}

}  // namespace ferry
