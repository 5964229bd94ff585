#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "async-task.h"
#include "bindings.h"
#include "sgemm.h"
#include "thread-pool.h"

namespace ferry {
namespace {

constexpr int kBlock = 64;
constexpr int kAbsmaxBlock = 256;

// The QLoRA code book as bitsandbytes ships it (core's NF4_CODEBOOK).
constexpr double kCodebook[16] = {
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
    -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
};

int nearestCode(double normalized) {
  int code = 0;
  while (code < 15 && normalized > (kCodebook[code] + kCodebook[code + 1]) / 2) ++code;
  return code;
}

double roundToInt8(double value) { return std::clamp(std::round(value), -127.0, 127.0); }

struct Nf4View {
  const unsigned char* packed;
  const signed char* absmaxQ;
  const float* absmaxScale;
  double absmaxMean;
  long size;
};

double blockAbsmax(const Nf4View& w, long block) { return w.absmaxQ[block] * static_cast<double>(w.absmaxScale[block / kAbsmaxBlock]) + w.absmaxMean; }

// Elements [start, start + count) of the flattened tensor, as the js decodeNf4Range.
void decodeRange(const Nf4View& w, long start, long count, float* out) {
  for (long i = start; i < start + count; ++i) {
    const unsigned char byte = w.packed[i >> 1];
    const int code = (i & 1) == 0 ? byte >> 4 : byte & 0x0f;
    out[i - start] = static_cast<float>(kCodebook[code] * blockAbsmax(w, i / kBlock));
  }
}

// Same steps and rounding as the js quantizeNf4; absmaxMean is written as the f32-rounded mean.
void quantize(const float* x, long size, unsigned char* packed, signed char* absmaxQ, float* absmaxScale, double* absmaxMean) {
  const long blocks = (size + kBlock - 1) / kBlock;
  std::vector<double> absmax(blocks);
  parallelRange(blocks, 512, [&](long begin, long end) {
    for (long block = begin; block < end; ++block) {
      const long start = block * kBlock, stop = std::min(start + kBlock, size);
      float max = 0;
      for (long i = start; i < stop; ++i) max = std::max(max, std::fabs(x[i]));
      absmax[block] = max;
      for (long i = start; i < stop; i += 2) {
        const int high = nearestCode(max == 0 ? 0 : x[i] / static_cast<double>(max));
        const int low = i + 1 < stop ? nearestCode(max == 0 ? 0 : x[i + 1] / static_cast<double>(max)) : 0;
        packed[i >> 1] = static_cast<unsigned char>(high << 4 | low);
      }
    }
  });
  double sum = 0;
  for (long block = 0; block < blocks; ++block) sum += absmax[block];
  const double mean = static_cast<float>(blocks == 0 ? 0 : sum / blocks);
  *absmaxMean = mean;
  const long groups = (blocks + kAbsmaxBlock - 1) / kAbsmaxBlock;
  for (long group = 0; group < groups; ++group) {
    const long start = group * kAbsmaxBlock, stop = std::min(start + kAbsmaxBlock, blocks);
    double max = 0;
    for (long b = start; b < stop; ++b) max = std::max(max, std::fabs(absmax[b] - mean));
    absmaxScale[group] = static_cast<float>(max / 127);
    const double scale = absmaxScale[group];
    for (long b = start; b < stop; ++b) absmaxQ[b] = scale == 0 ? 0 : static_cast<signed char>(roundToInt8((absmax[b] - mean) / scale));
  }
}

// x [rows, k] @ dequantize(w [n, k])^T, decoding a tile of weight rows at a time
// (the f32 weight never exists in full) and multiplying it with the SGEMM.
void nf4Matmul(const float* x, const Nf4View& w, float* out, long rows, int n, int k) {
  const int tile = std::max(1, std::min(n, (1 << 18) / std::max(k, 1)));
  std::unique_ptr<float[]> weights(new float[static_cast<size_t>(tile) * k]);
  for (int j0 = 0; j0 < n; j0 += tile) {
    const int count = std::min(tile, n - j0);
    parallelRange(count, std::max(1L, (1L << 14) / std::max(k, 1)), [&](long begin, long end) {
      for (long j = begin; j < end; ++j) decodeRange(w, (j0 + j) * k, k, weights.get() + j * k);
    });
    SgemmArgs g;
    g.m = static_cast<int>(rows);
    g.n = count;
    g.k = k;
    g.transB = true;
    g.a = x;
    g.lda = k;
    g.b = weights.get();
    g.ldb = k;
    g.c = out + j0;
    g.ldc = n;
    sgemm(g);
  }
}

Nf4View viewArgs(const Napi::CallbackInfo& info, size_t first, long size, std::vector<Napi::Object>& keep) {
  const long blocks = (size + kBlock - 1) / kBlock;
  auto packed = typedArrayArg<Napi::Uint8Array>(info, first, "packed", napi_uint8_array, (size + 1) / 2);
  auto absmaxQ = typedArrayArg<Napi::Int8Array>(info, first + 1, "absmaxQ", napi_int8_array, blocks);
  auto absmaxScale = floatArrayArg(info, first + 2, "absmaxScale", (blocks + kAbsmaxBlock - 1) / kAbsmaxBlock);
  keep.insert(keep.end(), {packed, absmaxQ, absmaxScale});
  return Nf4View{packed.Data(), reinterpret_cast<const signed char*>(absmaxQ.Data()), absmaxScale.Data(), info[first + 3].ToNumber().DoubleValue(), size};
}

// (x, packed, absmaxQ, absmaxScale, meanOut Float64Array(1), size, async)
Napi::Value quantizeNf4(const Napi::CallbackInfo& info) {
  const long size = dimArg(info, 5, "size");
  const long blocks = (size + kBlock - 1) / kBlock;
  auto x = floatArrayArg(info, 0, "x", size);
  auto packed = typedArrayArg<Napi::Uint8Array>(info, 1, "packed", napi_uint8_array, (size + 1) / 2);
  auto absmaxQ = typedArrayArg<Napi::Int8Array>(info, 2, "absmaxQ", napi_int8_array, blocks);
  auto absmaxScale = floatArrayArg(info, 3, "absmaxScale", (blocks + kAbsmaxBlock - 1) / kAbsmaxBlock);
  auto mean = typedArrayArg<Napi::Float64Array>(info, 4, "absmaxMean", napi_float64_array, 1);
  const float* xp = x.Data();
  unsigned char* pp = packed.Data();
  signed char* qp = reinterpret_cast<signed char*>(absmaxQ.Data());
  float* sp = absmaxScale.Data();
  double* mp = mean.Data();
  return runMaybeAsync(info.Env(), info[6].ToBoolean(), {x, packed, absmaxQ, absmaxScale, mean}, [=] { quantize(xp, size, pp, qp, sp, mp); });
}

// (packed, absmaxQ, absmaxScale, absmaxMean, y, size, async)
Napi::Value dequantizeNf4(const Napi::CallbackInfo& info) {
  const long size = dimArg(info, 5, "size");
  std::vector<Napi::Object> keep;
  const Nf4View w = viewArgs(info, 0, size, keep);
  auto y = floatArrayArg(info, 4, "y", size);
  keep.push_back(y);
  float* yp = y.Data();
  return runMaybeAsync(info.Env(), info[6].ToBoolean(), keep, [=] {
    parallelRange((size + kBlock - 1) / kBlock, 256, [&](long begin, long end) {
      const long start = begin * kBlock;
      decodeRange(w, start, std::min(end * kBlock, size) - start, yp + start);
    });
  });
}

// (x, packed, absmaxQ, absmaxScale, absmaxMean, out, rows, n, k, async)
Napi::Value nf4MatmulBinding(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 6, "rows");
  const int n = dimArg(info, 7, "n");
  const int k = dimArg(info, 8, "k");
  std::vector<Napi::Object> keep;
  auto x = floatArrayArg(info, 0, "x", static_cast<size_t>(rows) * k);
  const Nf4View w = viewArgs(info, 1, static_cast<long>(n) * k, keep);
  auto out = floatArrayArg(info, 5, "out", static_cast<size_t>(rows) * n);
  keep.insert(keep.end(), {x, out});
  const float* xp = x.Data();
  float* op = out.Data();
  return runMaybeAsync(info.Env(), info[9].ToBoolean(), keep, [=] { nf4Matmul(xp, w, op, rows, n, k); });
}

}  // namespace

void registerNf4(Napi::Env env, Napi::Object exports) {
  exports.Set("quantizeNf4", Napi::Function::New(env, quantizeNf4, "quantizeNf4"));
  exports.Set("dequantizeNf4", Napi::Function::New(env, dequantizeNf4, "dequantizeNf4"));
  exports.Set("nf4Matmul", Napi::Function::New(env, nf4MatmulBinding, "nf4Matmul"));
}

}  // namespace ferry
