#include "cpu-features.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace ferry {
namespace {

Isa probeCpu() {
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  // The AVX-512 kernel also uses DQ/VL/BW encodings; require them all.
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("fma")) {
    return Isa::Avx512;
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
#endif
  return Isa::Scalar;
}

Isa initialIsa() {
  Isa best = probeCpu();
  Isa wanted;
  const char* env = std::getenv("FERRY_NATIVE_ISA");
  if (env != nullptr && parseIsa(env, &wanted) && wanted < best) return wanted;
  return best;
}

std::atomic<int>& active() {
  static std::atomic<int> value{static_cast<int>(initialIsa())};
  return value;
}

}  // namespace

Isa detectedIsa() {
  static const Isa best = probeCpu();
  return best;
}

Isa activeIsa() { return static_cast<Isa>(active().load(std::memory_order_relaxed)); }

bool setActiveIsa(Isa isa) {
  if (isa > detectedIsa()) return false;
  active().store(static_cast<int>(isa), std::memory_order_relaxed);
  return true;
}

const char* isaName(Isa isa) {
  switch (isa) {
    case Isa::Avx512: return "avx512";
    case Isa::Avx2: return "avx2";
    default: return "scalar";
  }
}

bool parseIsa(const char* name, Isa* out) {
  for (Isa isa : {Isa::Scalar, Isa::Avx2, Isa::Avx512}) {
    if (std::strcmp(name, isaName(isa)) == 0) {
      *out = isa;
      return true;
    }
  }
  return false;
}

}  // namespace ferry
