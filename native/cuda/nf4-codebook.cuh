#pragma once
// The NF4 levels exactly as @ferry/core's NF4_CODEBOOK (bitsandbytes); kept
// in double so decoding rounds like the js reference.
#include <cstddef>
#include <cstdint>

namespace ferry {

constexpr int kNf4BlockSize = 64;
constexpr int kNf4AbsmaxBlockSize = 256;

static __constant__ double kNf4Codebook[16] = {
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
    -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
};

struct Nf4Device {
  const uint8_t* packed;
  const int8_t* absmaxQ;
  const float* absmaxScale;
  double absmaxMean;
};

__device__ inline int nf4Code(const uint8_t* packed, size_t index) {
  const uint8_t byte = packed[index >> 1];
  return (index & 1) == 0 ? byte >> 4 : byte & 0x0f;
}

__device__ inline double nf4Decode(const Nf4Device& w, size_t index) {
  const size_t block = index / kNf4BlockSize;
  const double blockAbsmax = w.absmaxQ[block] * static_cast<double>(w.absmaxScale[block / kNf4AbsmaxBlockSize]) + w.absmaxMean;
  return kNf4Codebook[nf4Code(w.packed, index)] * blockAbsmax;
}

}  // namespace ferry
