#include <cmath>

#include "async-task.h"
#include "bindings.h"
#include "thread-pool.h"

namespace ferry {
namespace {

struct AdamWStep {
  double lr, beta1, beta2, eps, weightDecay;
  int step;
};

// Same arithmetic (in double) and order as the js reference / torch.optim.AdamW: decoupled decay, then the bias-corrected update.
void adamwUpdate(float* param, const float* grad, float* m, float* v, long n, const AdamWStep& s) {
  const double correction1 = 1 - std::pow(s.beta1, s.step);
  const double correction2 = 1 - std::pow(s.beta2, s.step);
  const double decay = 1 - s.lr * s.weightDecay;
  parallelRange(n, 1 << 15, [&](long begin, long end) {
    for (long i = begin; i < end; ++i) {
      const double g = grad[i];
      const double mi = s.beta1 * m[i] + (1 - s.beta1) * g;
      const double vi = s.beta2 * v[i] + (1 - s.beta2) * g * g;
      m[i] = static_cast<float>(mi);
      v[i] = static_cast<float>(vi);
      param[i] = static_cast<float>(param[i] * decay - (s.lr * (mi / correction1)) / (std::sqrt(vi / correction2) + s.eps));
    }
  });
}

// (param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, step, async)
Napi::Value adamw(const Napi::CallbackInfo& info) {
  const long n = dimArg(info, 4, "n");
  auto param = floatArrayArg(info, 0, "param", n);
  auto grad = floatArrayArg(info, 1, "grad", n);
  auto m = floatArrayArg(info, 2, "m", n);
  auto v = floatArrayArg(info, 3, "v", n);
  const AdamWStep s{info[5].ToNumber().DoubleValue(), info[6].ToNumber().DoubleValue(), info[7].ToNumber().DoubleValue(),
                    info[8].ToNumber().DoubleValue(), info[9].ToNumber().DoubleValue(), dimArg(info, 10, "step")};
  return runMaybeAsync(info.Env(), info[11].ToBoolean(), {param, grad, m, v},
                       [=]() mutable { adamwUpdate(param.Data(), grad.Data(), m.Data(), v.Data(), n, s); });
}

}  // namespace

void registerAdamw(Napi::Env env, Napi::Object exports) { exports.Set("adamw", Napi::Function::New(env, adamw, "adamw")); }

}  // namespace ferry
