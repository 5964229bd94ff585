#include "async-task.h"
#include "bindings.h"
#include "rowwise-kernels.h"

namespace ferry {
namespace {

// Every function takes its tensors (outputs preallocated by TS), then rows and
// d (or n), then its scalars, and last `async`.

size_t count(long rows, int d) { return static_cast<size_t>(rows) * d; }

Napi::Value softmax(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 2, "rows");
  const int d = dimArg(info, 3, "d");
  auto x = floatArrayArg(info, 0, "x", count(rows, d));
  auto y = floatArrayArg(info, 1, "y", count(rows, d));
  return runMaybeAsync(info.Env(), info[4].ToBoolean(), {x, y}, [=]() mutable { softmaxRows(x.Data(), y.Data(), rows, d); });
}

Napi::Value softmaxBackward(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 3, "rows");
  const int d = dimArg(info, 4, "d");
  auto y = floatArrayArg(info, 0, "y", count(rows, d));
  auto dy = floatArrayArg(info, 1, "dy", count(rows, d));
  auto dx = floatArrayArg(info, 2, "dx", count(rows, d));
  return runMaybeAsync(info.Env(), info[5].ToBoolean(), {y, dy, dx}, [=]() mutable { softmaxBackwardRows(y.Data(), dy.Data(), dx.Data(), rows, d); });
}

Napi::Value rmsnorm(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 3, "rows");
  const int d = dimArg(info, 4, "d");
  const double eps = info[5].ToNumber().DoubleValue();
  auto x = floatArrayArg(info, 0, "x", count(rows, d));
  auto gamma = floatArrayArg(info, 1, "gamma", d);
  auto y = floatArrayArg(info, 2, "y", count(rows, d));
  return runMaybeAsync(info.Env(), info[6].ToBoolean(), {x, gamma, y}, [=]() mutable { rmsnormRows(x.Data(), gamma.Data(), y.Data(), rows, d, eps); });
}

Napi::Value rmsnormBackward(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 5, "rows");
  const int d = dimArg(info, 6, "d");
  const double eps = info[7].ToNumber().DoubleValue();
  auto x = floatArrayArg(info, 0, "x", count(rows, d));
  auto gamma = floatArrayArg(info, 1, "gamma", d);
  auto dy = floatArrayArg(info, 2, "dy", count(rows, d));
  auto dx = floatArrayArg(info, 3, "dx", count(rows, d));
  auto dgamma = floatArrayArg(info, 4, "dgamma", d);
  return runMaybeAsync(info.Env(), info[8].ToBoolean(), {x, gamma, dy, dx, dgamma},
                       [=]() mutable { rmsnormBackwardRows(x.Data(), gamma.Data(), dy.Data(), dx.Data(), dgamma.Data(), rows, d, eps); });
}

Napi::Value layernorm(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 4, "rows");
  const int d = dimArg(info, 5, "d");
  const double eps = info[6].ToNumber().DoubleValue();
  auto x = floatArrayArg(info, 0, "x", count(rows, d));
  auto gamma = floatArrayArg(info, 1, "gamma", d);
  auto beta = floatArrayArg(info, 2, "beta", d);
  auto y = floatArrayArg(info, 3, "y", count(rows, d));
  return runMaybeAsync(info.Env(), info[7].ToBoolean(), {x, gamma, beta, y},
                       [=]() mutable { layernormRows(x.Data(), gamma.Data(), beta.Data(), y.Data(), rows, d, eps); });
}

Napi::Value layernormBackward(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 6, "rows");
  const int d = dimArg(info, 7, "d");
  const double eps = info[8].ToNumber().DoubleValue();
  auto x = floatArrayArg(info, 0, "x", count(rows, d));
  auto gamma = floatArrayArg(info, 1, "gamma", d);
  auto dy = floatArrayArg(info, 2, "dy", count(rows, d));
  auto dx = floatArrayArg(info, 3, "dx", count(rows, d));
  auto dgamma = floatArrayArg(info, 4, "dgamma", d);
  auto dbeta = floatArrayArg(info, 5, "dbeta", d);
  return runMaybeAsync(info.Env(), info[9].ToBoolean(), {x, gamma, dy, dx, dgamma, dbeta}, [=]() mutable {
    layernormBackwardRows(x.Data(), gamma.Data(), dy.Data(), dx.Data(), dgamma.Data(), dbeta.Data(), rows, d, eps);
  });
}

Activation activationArg(const Napi::CallbackInfo& info) {
  const int op = dimArg(info, 0, "activation");
  if (op > 1) throw Napi::RangeError::New(info.Env(), "activation must be 0 (silu) or 1 (gelu)");
  return static_cast<Activation>(op);
}

// (activation, x, y, n, async)
Napi::Value activation(const Napi::CallbackInfo& info) {
  const Activation act = activationArg(info);
  const long n = dimArg(info, 3, "n");
  auto x = floatArrayArg(info, 1, "x", n);
  auto y = floatArrayArg(info, 2, "y", n);
  return runMaybeAsync(info.Env(), info[4].ToBoolean(), {x, y}, [=]() mutable { activationForward(act, x.Data(), y.Data(), n); });
}

// (activation, x, dy, dx, n, async)
Napi::Value activationGrad(const Napi::CallbackInfo& info) {
  const Activation act = activationArg(info);
  const long n = dimArg(info, 4, "n");
  auto x = floatArrayArg(info, 1, "x", n);
  auto dy = floatArrayArg(info, 2, "dy", n);
  auto dx = floatArrayArg(info, 3, "dx", n);
  return runMaybeAsync(info.Env(), info[5].ToBoolean(), {x, dy, dx}, [=]() mutable { activationBackward(act, x.Data(), dy.Data(), dx.Data(), n); });
}

}  // namespace

void registerRowwise(Napi::Env env, Napi::Object exports) {
  exports.Set("softmax", Napi::Function::New(env, softmax, "softmax"));
  exports.Set("softmaxBackward", Napi::Function::New(env, softmaxBackward, "softmaxBackward"));
  exports.Set("rmsnorm", Napi::Function::New(env, rmsnorm, "rmsnorm"));
  exports.Set("rmsnormBackward", Napi::Function::New(env, rmsnormBackward, "rmsnormBackward"));
  exports.Set("layernorm", Napi::Function::New(env, layernorm, "layernorm"));
  exports.Set("layernormBackward", Napi::Function::New(env, layernormBackward, "layernormBackward"));
  exports.Set("activation", Napi::Function::New(env, activation, "activation"));
  exports.Set("activationBackward", Napi::Function::New(env, activationGrad, "activationBackward"));
}

}  // namespace ferry
