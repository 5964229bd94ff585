#pragma once

#include <napi.h>

#include <string>

namespace ferry {

// Each registers its functions on the addon's exports.
void registerMatmul(Napi::Env env, Napi::Object exports);
void registerRowwise(Napi::Env env, Napi::Object exports);
void registerAdamw(Napi::Env env, Napi::Object exports);
void registerTopkSimilarity(Napi::Env env, Napi::Object exports);
void registerQuantizeInt8(Napi::Env env, Napi::Object exports);
void registerCrossEntropy(Napi::Env env, Napi::Object exports);
void registerRope(Napi::Env env, Napi::Object exports);
void registerOutputBuffer(Napi::Env env, Napi::Object exports);
void registerNf4(Napi::Env env, Napi::Object exports);
void registerAttention(Napi::Env env, Napi::Object exports);

// A typed array argument of type T with at least `minLength` elements. Shapes
// are checked in TS; lengths are re-checked here because a wrong one would
// corrupt memory instead of throwing.
template <typename T>
T typedArrayArg(const Napi::CallbackInfo& info, size_t index, const char* name, napi_typedarray_type type, size_t minLength) {
  Napi::Value value = info[index];
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " has the wrong typed array type");
  }
  auto array = value.As<T>();
  if (array.ElementLength() < minLength) {
    throw Napi::RangeError::New(info.Env(), std::string(name) + " has " + std::to_string(array.ElementLength()) + " elements, needs " +
                                                std::to_string(minLength));
  }
  return array;
}

inline Napi::Float32Array floatArrayArg(const Napi::CallbackInfo& info, size_t index, const char* name, size_t minLength) {
  return typedArrayArg<Napi::Float32Array>(info, index, name, napi_float32_array, minLength);
}

// A non-negative integer argument (a dimension).
int dimArg(const Napi::CallbackInfo& info, size_t index, const char* name);

}  // namespace ferry
