#pragma once

namespace ferry {

// Instruction-set paths, ordered so that a larger value needs more features.
enum class Isa { Scalar = 0, Avx2 = 1, Avx512 = 2 };

// Best path this CPU (and this build) supports.
Isa detectedIsa();
// Path the kernels use now: detectedIsa(), lowered by FERRY_NATIVE_ISA or setActiveIsa().
Isa activeIsa();
// Returns false (and changes nothing) when the CPU or build lacks `isa`.
bool setActiveIsa(Isa isa);
const char* isaName(Isa isa);
bool parseIsa(const char* name, Isa* out);

}  // namespace ferry
