#include <cstdlib>

#include "bindings.h"

namespace ferry {
namespace {

// Kernel outputs are fully overwritten, so they need no zeroing, and malloc
// hands back recently freed blocks: a fresh zeroed Float32Array of a few MB
// costs page faults and a memset that rival a 512^3 GEMM.
Napi::Value allocFloat32(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const size_t length = static_cast<size_t>(dimArg(info, 0, "length"));
  const size_t bytes = length * sizeof(float);
  void* data = std::malloc(bytes == 0 ? 1 : bytes);
  if (data == nullptr) throw Napi::Error::New(env, "out of memory allocating " + std::to_string(bytes) + " bytes");
  Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(bytes));
  auto buffer = Napi::ArrayBuffer::New(env, data, bytes, [bytes](Napi::Env finalizeEnv, void* block) {
    std::free(block);
    Napi::MemoryManagement::AdjustExternalMemory(finalizeEnv, -static_cast<int64_t>(bytes));
  });
  return Napi::Float32Array::New(env, length, buffer, 0);
}

}  // namespace

void registerOutputBuffer(Napi::Env env, Napi::Object exports) { exports.Set("allocFloat32", Napi::Function::New(env, allocFloat32, "allocFloat32")); }

}  // namespace ferry
