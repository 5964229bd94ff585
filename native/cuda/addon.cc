// N-API bindings (the plain C API, so no node-addon-api dependency). Every
// kernel takes its inputs and preallocated outputs as typed arrays plus plain
// numbers, and fills the outputs synchronously; shapes were validated in
// TypeScript. C++ exceptions become JS errors carrying their message.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "ferry-cuda.h"

namespace {

constexpr size_t kMaxArgs = 16;

class Args {
 public:
  Args(napi_env env, napi_callback_info info) : env_(env) {
    if (napi_get_cb_info(env, info, &count_, values_, nullptr, nullptr) != napi_ok) throw std::runtime_error("cannot read arguments");
  }

  template <typename T>
  T* array(size_t i, napi_typedarray_type want) const {
    bool isTyped = false;
    napi_is_typedarray(env_, at(i), &isTyped);
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (!isTyped || napi_get_typedarray_info(env_, at(i), &type, &length, &data, nullptr, nullptr) != napi_ok || type != want) {
      throw std::invalid_argument("argument " + std::to_string(i) + " has the wrong typed array type");
    }
    return static_cast<T*>(data);
  }
  const float* f32(size_t i) const { return array<float>(i, napi_float32_array); }
  float* f32Out(size_t i) const { return array<float>(i, napi_float32_array); }
  double* f64Out(size_t i) const { return array<double>(i, napi_float64_array); }
  int32_t* i32(size_t i) const { return array<int32_t>(i, napi_int32_array); }
  int8_t* i8(size_t i) const { return array<int8_t>(i, napi_int8_array); }
  uint8_t* u8(size_t i) const { return array<uint8_t>(i, napi_uint8_array); }
  // null for an optional array.
  const float* f32OrNull(size_t i) const {
    napi_valuetype type;
    napi_typeof(env_, at(i), &type);
    return type == napi_null || type == napi_undefined ? nullptr : f32(i);
  }

  double number(size_t i) const {
    double value = 0;
    if (napi_get_value_double(env_, at(i), &value) != napi_ok) throw std::invalid_argument("argument " + std::to_string(i) + " must be a number");
    return value;
  }
  int integer(size_t i) const { return static_cast<int>(number(i)); }
  size_t size(size_t i) const { return static_cast<size_t>(number(i)); }
  bool flag(size_t i) const {
    bool value = false;
    if (napi_get_value_bool(env_, at(i), &value) != napi_ok) throw std::invalid_argument("argument " + std::to_string(i) + " must be a boolean");
    return value;
  }

 private:
  napi_value at(size_t i) const {
    if (i >= count_) throw std::invalid_argument("missing argument " + std::to_string(i));
    return values_[i];
  }
  napi_env env_;
  size_t count_ = kMaxArgs;
  napi_value values_[kMaxArgs] = {};
};

napi_value undefinedValue(napi_env env) {
  napi_value value;
  napi_get_undefined(env, &value);
  return value;
}

napi_value numberValue(napi_env env, double number) {
  napi_value value;
  napi_create_double(env, number, &value);
  return value;
}

void setProperty(napi_env env, napi_value object, const char* key, napi_value value) { napi_set_named_property(env, object, key, value); }

napi_value stringValue(napi_env env, const std::string& text) {
  napi_value value;
  napi_create_string_utf8(env, text.c_str(), text.size(), &value);
  return value;
}

using Body = napi_value (*)(napi_env, const Args&);

template <Body body>
napi_value guarded(napi_env env, napi_callback_info info) {
  try {
    const Args args(env, info);
    return body(env, args);
  } catch (const std::exception& error) {
    napi_throw_error(env, "FERRY_CUDA", error.what());
    return nullptr;
  }
}

napi_value devices(napi_env env, const Args&) {
  const ferry::DeviceReport report = ferry::queryDevices();
  napi_value result;
  napi_create_object(env, &result);
  setProperty(env, result, "count", numberValue(env, report.count));
  if (!report.error.empty()) setProperty(env, result, "error", stringValue(env, report.error));
  if (report.count > 0) {
    setProperty(env, result, "name", stringValue(env, report.firstName));
    setProperty(env, result, "computeCapability", stringValue(env, std::to_string(report.major) + "." + std::to_string(report.minor)));
    setProperty(env, result, "totalMemory", numberValue(env, static_cast<double>(report.totalMemory)));
  }
  return result;
}

// (a, b, c | null, out, batch, m, n, k, transA, transB, bBatched, alpha, beta)
napi_value matmul(napi_env env, const Args& a) {
  const ferry::GemmShape shape{a.integer(4), a.integer(5), a.integer(6), a.integer(7), a.flag(8), a.flag(9), a.flag(10),
                               static_cast<float>(a.number(11)), static_cast<float>(a.number(12))};
  ferry::matmul(a.f32(0), a.f32(1), a.f32OrNull(2), a.f32Out(3), shape);
  return undefinedValue(env);
}

napi_value softmax(napi_env env, const Args& a) {
  ferry::softmax(a.f32(0), a.f32Out(1), a.size(2), a.integer(3));
  return undefinedValue(env);
}

napi_value softmaxBackward(napi_env env, const Args& a) {
  ferry::softmaxBackward(a.f32(0), a.f32(1), a.f32Out(2), a.size(3), a.integer(4));
  return undefinedValue(env);
}

// (x, gamma, beta, out, rows, d, eps)
napi_value layernorm(napi_env env, const Args& a) {
  ferry::layernorm(a.f32(0), a.f32(1), a.f32(2), a.f32Out(3), a.size(4), a.integer(5), a.number(6));
  return undefinedValue(env);
}

// (x, gamma, dy, dx, dgamma, dbeta, rows, d, eps)
napi_value layernormBackward(napi_env env, const Args& a) {
  ferry::layernormBackward(a.f32(0), a.f32(1), a.f32(2), a.f32Out(3), a.f32Out(4), a.f32Out(5), a.size(6), a.integer(7), a.number(8));
  return undefinedValue(env);
}

// (x, gamma, out, rows, d, eps)
napi_value rmsnorm(napi_env env, const Args& a) {
  ferry::rmsnorm(a.f32(0), a.f32(1), a.f32Out(2), a.size(3), a.integer(4), a.number(5));
  return undefinedValue(env);
}

// (x, gamma, dy, dx, dgamma, rows, d, eps)
napi_value rmsnormBackward(napi_env env, const Args& a) {
  ferry::rmsnormBackward(a.f32(0), a.f32(1), a.f32(2), a.f32Out(3), a.f32Out(4), a.size(5), a.integer(6), a.number(7));
  return undefinedValue(env);
}

// (op, x, out, n): op 0 = silu, 1 = gelu
napi_value activation(napi_env env, const Args& a) {
  ferry::activation(static_cast<ferry::Activation>(a.integer(0)), a.f32(1), a.f32Out(2), a.size(3));
  return undefinedValue(env);
}

// (op, x, dy, dx, n)
napi_value activationBackward(napi_env env, const Args& a) {
  ferry::activationBackward(static_cast<ferry::Activation>(a.integer(0)), a.f32(1), a.f32(2), a.f32Out(3), a.size(4));
  return undefinedValue(env);
}

// (x, out, batch, time, heads, dim, theta, positionOffset, direction)
napi_value rope(napi_env env, const Args& a) {
  const ferry::RopeShape shape{a.integer(2), a.integer(3), a.integer(4), a.integer(5), a.number(6), static_cast<long long>(a.number(7)), a.integer(8)};
  ferry::rope(a.f32(0), a.f32Out(1), shape);
  return undefinedValue(env);
}

ferry::AttentionShape attentionShape(const Args& a, size_t first) {
  return {a.integer(first), a.integer(first + 1), a.integer(first + 2), a.integer(first + 3), a.integer(first + 4), a.integer(first + 5),
          static_cast<float>(a.number(first + 6)), a.flag(first + 7)};
}

// (q, k, v, out, batch, time, keys, qHeads, kvHeads, dim, scale, causal)
napi_value attention(napi_env env, const Args& a) {
  ferry::attention(a.f32(0), a.f32(1), a.f32(2), a.f32Out(3), attentionShape(a, 4));
  return undefinedValue(env);
}

// (q, k, v, dout, dq, dk, dv, batch, time, keys, qHeads, kvHeads, dim, scale, causal)
napi_value attentionBackward(napi_env env, const Args& a) {
  ferry::attentionBackward(a.f32(0), a.f32(1), a.f32(2), a.f32(3), a.f32Out(4), a.f32Out(5), a.f32Out(6), attentionShape(a, 7));
  return undefinedValue(env);
}

// (logits, targets, rowLoss f64, rows, vocab, ignoreIndex)
napi_value crossEntropyRows(napi_env env, const Args& a) {
  ferry::crossEntropyRows(a.f32(0), a.i32(1), a.f64Out(2), a.size(3), a.integer(4), a.integer(5));
  return undefinedValue(env);
}

// (logits, targets, grad, rows, vocab, ignoreIndex, count)
napi_value crossEntropyBackward(napi_env env, const Args& a) {
  ferry::crossEntropyBackward(a.f32(0), a.i32(1), a.f32Out(2), a.size(3), a.integer(4), a.integer(5), a.integer(6));
  return undefinedValue(env);
}

// (param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, correction1, correction2)
napi_value adamw(napi_env env, const Args& a) {
  const ferry::AdamWStep step{a.number(5), a.number(6), a.number(7), a.number(8), a.number(9), a.number(10), a.number(11)};
  ferry::adamw(a.f32Out(0), a.f32(1), a.f32Out(2), a.f32Out(3), a.size(4), step);
  return undefinedValue(env);
}

// (x, q, scale, rows, cols)
napi_value quantizeInt8(napi_env env, const Args& a) {
  ferry::quantizeInt8(a.f32(0), a.i8(1), a.f32Out(2), a.size(3), a.integer(4));
  return undefinedValue(env);
}

// (q, scale, out, rows, cols)
napi_value dequantizeInt8(napi_env env, const Args& a) {
  ferry::dequantizeInt8(a.i8(0), a.f32(1), a.f32Out(2), a.size(3), a.integer(4));
  return undefinedValue(env);
}

// (x, size, packed, absmaxQ, absmaxScale) -> absmaxMean
napi_value quantizeNf4(napi_env env, const Args& a) {
  return numberValue(env, ferry::quantizeNf4(a.f32(0), a.size(1), a.u8(2), a.i8(3), a.f32Out(4)));
}

ferry::Nf4Host nf4Host(const Args& a, size_t first) {
  return {a.u8(first), a.i8(first + 1), a.f32(first + 2), a.number(first + 3), a.size(first + 4)};
}

// (packed, absmaxQ, absmaxScale, absmaxMean, size, out)
napi_value dequantizeNf4(napi_env env, const Args& a) {
  ferry::dequantizeNf4(nf4Host(a, 0), a.f32Out(5));
  return undefinedValue(env);
}

// (x, packed, absmaxQ, absmaxScale, absmaxMean, size, out, rows, n, k)
napi_value nf4Matmul(napi_env env, const Args& a) {
  ferry::nf4Matmul(a.f32(0), nf4Host(a, 1), a.f32Out(6), a.integer(7), a.integer(8), a.integer(9));
  return undefinedValue(env);
}

// (queries, matrix, indices, scores, queryCount, rows, dim, k, cosine)
napi_value topkSimilarity(napi_env env, const Args& a) {
  ferry::topkSimilarity(a.f32(0), a.f32(1), a.i32(2), a.f32Out(3), a.integer(4), a.integer(5), a.integer(6), a.integer(7), a.flag(8));
  return undefinedValue(env);
}

// (m, n, k, iterations) -> ms per call, kernel only
napi_value timeMatmul(napi_env env, const Args& a) { return numberValue(env, ferry::timeMatmul(a.integer(0), a.integer(1), a.integer(2), a.integer(3))); }

// (batch, time, keys, qHeads, kvHeads, dim, scale, causal, iterations) -> ms per call, kernel only
napi_value timeAttention(napi_env env, const Args& a) { return numberValue(env, ferry::timeAttention(attentionShape(a, 0), a.integer(8))); }

struct Export {
  const char* name;
  napi_callback fn;
};

const Export kExports[] = {
    {"devices", guarded<devices>},
    {"matmul", guarded<matmul>},
    {"softmax", guarded<softmax>},
    {"softmaxBackward", guarded<softmaxBackward>},
    {"layernorm", guarded<layernorm>},
    {"layernormBackward", guarded<layernormBackward>},
    {"rmsnorm", guarded<rmsnorm>},
    {"rmsnormBackward", guarded<rmsnormBackward>},
    {"activation", guarded<activation>},
    {"activationBackward", guarded<activationBackward>},
    {"rope", guarded<rope>},
    {"attention", guarded<attention>},
    {"attentionBackward", guarded<attentionBackward>},
    {"crossEntropyRows", guarded<crossEntropyRows>},
    {"crossEntropyBackward", guarded<crossEntropyBackward>},
    {"adamw", guarded<adamw>},
    {"quantizeInt8", guarded<quantizeInt8>},
    {"dequantizeInt8", guarded<dequantizeInt8>},
    {"quantizeNf4", guarded<quantizeNf4>},
    {"dequantizeNf4", guarded<dequantizeNf4>},
    {"nf4Matmul", guarded<nf4Matmul>},
    {"topkSimilarity", guarded<topkSimilarity>},
    {"timeMatmul", guarded<timeMatmul>},
    {"timeAttention", guarded<timeAttention>},
};

}  // namespace

NAPI_MODULE_INIT() {
  for (const Export& entry : kExports) {
    napi_value fn;
    napi_create_function(env, entry.name, NAPI_AUTO_LENGTH, entry.fn, nullptr, &fn);
    napi_set_named_property(env, exports, entry.name, fn);
  }
  napi_value maxDim;
  napi_create_int32(env, ferry::kMaxAttentionDim, &maxDim);
  napi_set_named_property(env, exports, "maxAttentionDim", maxDim);
  return exports;
}
