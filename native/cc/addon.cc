#include <napi.h>

#include <string>

#include "bindings.h"
#include "cpu-features.h"
#include "gemm-kernel.h"
#include "thread-pool.h"

namespace ferry {
namespace {

Napi::Value cpuFeatures(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("detected", isaName(detectedIsa()));
  out.Set("active", isaName(activeIsa()));
  out.Set("gemmKernel", activeGemmKernel().name);
  out.Set("threads", ThreadPool::instance().size());
  return out;
}

Napi::Value setIsa(const Napi::CallbackInfo& info) {
  Isa isa;
  std::string name = info[0].ToString();
  if (!parseIsa(name.c_str(), &isa)) throw Napi::RangeError::New(info.Env(), "unknown ISA \"" + name + "\"; use scalar, avx2 or avx512");
  return Napi::Boolean::New(info.Env(), setActiveIsa(isa));
}

Napi::Value setNumThreads(const Napi::CallbackInfo& info) {
  ThreadPool::instance().resize(info[0].ToNumber().Int32Value());
  return Napi::Number::New(info.Env(), ThreadPool::instance().size());
}

}  // namespace

Napi::Object initAddon(Napi::Env env, Napi::Object exports) {
  exports.Set("cpuFeatures", Napi::Function::New(env, cpuFeatures, "cpuFeatures"));
  exports.Set("setIsa", Napi::Function::New(env, setIsa, "setIsa"));
  exports.Set("setNumThreads", Napi::Function::New(env, setNumThreads, "setNumThreads"));
  registerMatmul(env, exports);
  registerRowwise(env, exports);
  registerAdamw(env, exports);
  registerTopkSimilarity(env, exports);
  registerQuantizeInt8(env, exports);
  registerCrossEntropy(env, exports);
  registerRope(env, exports);
  registerOutputBuffer(env, exports);
  registerNf4(env, exports);
  registerAttention(env, exports);
  return exports;
}

}  // namespace ferry

// The macro pastes its argument into an identifier, so it needs an unqualified name.
using ferry::initAddon;
NODE_API_MODULE(ferry_native, initAddon)
