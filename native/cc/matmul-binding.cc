#include <string>

#include "async-task.h"
#include "bindings.h"
#include "sgemm.h"

namespace ferry {
namespace {

// (a, b, c, batch, m, n, k, transA, transB, alpha, beta, bBatched, async)
Napi::Value sgemmBinding(const Napi::CallbackInfo& info) {
  SgemmArgs g;
  g.batch = dimArg(info, 3, "batch");
  g.m = dimArg(info, 4, "m");
  g.n = dimArg(info, 5, "n");
  g.k = dimArg(info, 6, "k");
  g.transA = info[7].ToBoolean();
  g.transB = info[8].ToBoolean();
  g.alpha = info[9].ToNumber().FloatValue();
  g.beta = info[10].ToNumber().FloatValue();
  const bool bBatched = info[11].ToBoolean();
  const size_t mk = static_cast<size_t>(g.m) * g.k, kn = static_cast<size_t>(g.k) * g.n, mn = static_cast<size_t>(g.m) * g.n;
  auto a = floatArrayArg(info, 0, "a", mk * g.batch);
  auto b = floatArrayArg(info, 1, "b", bBatched ? kn * g.batch : kn);
  auto c = floatArrayArg(info, 2, "c", mn * g.batch);
  g.a = a.Data();
  g.b = b.Data();
  g.c = c.Data();
  g.lda = g.transA ? g.m : g.k;
  g.ldb = g.transB ? g.k : g.n;
  g.ldc = g.n;
  g.strideA = static_cast<long>(mk);
  g.strideB = bBatched ? static_cast<long>(kn) : 0;
  g.strideC = static_cast<long>(mn);
  return runMaybeAsync(info.Env(), info[12].ToBoolean(), {a, b, c}, [g] { sgemm(g); });
}

}  // namespace

int dimArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!(value >= 0 && value <= 2147483647.0)) throw Napi::RangeError::New(info.Env(), std::string(name) + " must be a non-negative int32");
  return static_cast<int>(value);
}

void registerMatmul(Napi::Env env, Napi::Object exports) { exports.Set("sgemm", Napi::Function::New(env, sgemmBinding, "sgemm")); }

}  // namespace ferry
