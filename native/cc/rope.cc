#include <cmath>
#include <vector>

#include "async-task.h"
#include "bindings.h"
#include "thread-pool.h"

namespace ferry {
namespace {

struct RopeArgs {
  const float* x;
  float* y;
  int batch, time, heads, dim;
  double theta;
  int positionOffset;
  // +1 forward, -1 for the gradient (the inverse rotation).
  int direction;
};

// HF rotate-half layout: i pairs with i + D/2; angles in double, like the js reference.
void ropeRotate(const RopeArgs& r) {
  const int half = r.dim / 2;
  parallelRange(r.time, std::max(1L, (1L << 14) / std::max(1L, static_cast<long>(r.batch) * r.heads * r.dim)), [&](long begin, long end) {
    std::vector<double> cosines(half), sines(half);
    for (long t = begin; t < end; ++t) {
      const double position = static_cast<double>(t + r.positionOffset);
      for (int i = 0; i < half; ++i) {
        const double angle = position * std::pow(r.theta, (-2.0 * i) / r.dim);
        cosines[i] = std::cos(angle);
        sines[i] = r.direction * std::sin(angle);
      }
      for (int b = 0; b < r.batch; ++b) {
        for (int h = 0; h < r.heads; ++h) {
          const long base = ((static_cast<long>(b) * r.time + t) * r.heads + h) * r.dim;
          for (int i = 0; i < half; ++i) {
            const double x1 = r.x[base + i], x2 = r.x[base + i + half];
            r.y[base + i] = static_cast<float>(x1 * cosines[i] - x2 * sines[i]);
            r.y[base + i + half] = static_cast<float>(x2 * cosines[i] + x1 * sines[i]);
          }
        }
      }
    }
  });
}

// (x, y, batch, time, heads, dim, theta, positionOffset, direction, async)
Napi::Value rope(const Napi::CallbackInfo& info) {
  RopeArgs r{};
  r.batch = dimArg(info, 2, "batch");
  r.time = dimArg(info, 3, "time");
  r.heads = dimArg(info, 4, "heads");
  r.dim = dimArg(info, 5, "dim");
  r.theta = info[6].ToNumber().DoubleValue();
  r.positionOffset = dimArg(info, 7, "positionOffset");
  r.direction = info[8].ToNumber().Int32Value() < 0 ? -1 : 1;
  const size_t size = static_cast<size_t>(r.batch) * r.time * r.heads * r.dim;
  auto x = floatArrayArg(info, 0, "x", size);
  auto y = floatArrayArg(info, 1, "y", size);
  r.x = x.Data();
  r.y = y.Data();
  return runMaybeAsync(info.Env(), info[9].ToBoolean(), {x, y}, [r] { ropeRotate(r); });
}

}  // namespace

void registerRope(Napi::Env env, Napi::Object exports) { exports.Set("rope", Napi::Function::New(env, rope, "rope")); }

}  // namespace ferry
