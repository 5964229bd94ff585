#include <algorithm>
#include <cmath>

#include "async-task.h"
#include "bindings.h"
#include "thread-pool.h"

namespace ferry {
namespace {

// Per-row symmetric absmax, as the js reference: the scale is stored as f32 and that
// rounded value divides, rounding half away from zero (std::round) into [-127, 127].
void quantizeRows(const float* x, signed char* q, float* scale, long rows, int cols) {
  parallelRange(rows, std::max(1L, (1L << 15) / std::max(cols, 1)), [&](long begin, long end) {
    for (long r = begin; r < end; ++r) {
      const float* in = x + r * cols;
      signed char* out = q + r * cols;
      float absmax = 0;
      for (int i = 0; i < cols; ++i) absmax = std::max(absmax, std::fabs(in[i]));
      scale[r] = static_cast<float>(absmax / 127.0);
      const double s = scale[r];
      if (s == 0) {
        std::fill(out, out + cols, 0);
        continue;
      }
      for (int i = 0; i < cols; ++i) out[i] = static_cast<signed char>(std::clamp(std::round(in[i] / s), -127.0, 127.0));
    }
  });
}

void dequantizeRows(const signed char* q, const float* scale, float* y, long rows, int cols) {
  parallelRange(rows, std::max(1L, (1L << 16) / std::max(cols, 1)), [&](long begin, long end) {
    for (long r = begin; r < end; ++r) {
      for (int i = 0; i < cols; ++i) y[r * cols + i] = q[r * cols + i] * scale[r];
    }
  });
}

// (x, q, scale, rows, cols, async)
Napi::Value quantizeInt8(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 3, "rows");
  const int cols = dimArg(info, 4, "cols");
  auto x = floatArrayArg(info, 0, "x", static_cast<size_t>(rows) * cols);
  auto q = typedArrayArg<Napi::Int8Array>(info, 1, "q", napi_int8_array, static_cast<size_t>(rows) * cols);
  auto scale = floatArrayArg(info, 2, "scale", rows);
  const float* xp = x.Data();
  signed char* qp = reinterpret_cast<signed char*>(q.Data());
  float* sp = scale.Data();
  return runMaybeAsync(info.Env(), info[5].ToBoolean(), {x, q, scale}, [=] { quantizeRows(xp, qp, sp, rows, cols); });
}

// (q, scale, y, rows, cols, async)
Napi::Value dequantizeInt8(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 3, "rows");
  const int cols = dimArg(info, 4, "cols");
  auto q = typedArrayArg<Napi::Int8Array>(info, 0, "q", napi_int8_array, static_cast<size_t>(rows) * cols);
  auto scale = floatArrayArg(info, 1, "scale", rows);
  auto y = floatArrayArg(info, 2, "y", static_cast<size_t>(rows) * cols);
  const signed char* qp = reinterpret_cast<const signed char*>(q.Data());
  const float* sp = scale.Data();
  float* yp = y.Data();
  return runMaybeAsync(info.Env(), info[5].ToBoolean(), {q, scale, y}, [=] { dequantizeRows(qp, sp, yp, rows, cols); });
}

}  // namespace

void registerQuantizeInt8(Napi::Env env, Napi::Object exports) {
  exports.Set("quantizeInt8", Napi::Function::New(env, quantizeInt8, "quantizeInt8"));
  exports.Set("dequantizeInt8", Napi::Function::New(env, dequantizeInt8, "dequantizeInt8"));
}

}  // namespace ferry
