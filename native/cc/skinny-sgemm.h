#pragma once

#include "sgemm.h"

namespace ferry {

// The SGEMM for a few rows of op(A) (decode, a handful of tokens): B is read
// in place, once, with no packing, and its columns are split over the thread
// pool. Returns false, doing nothing, when the call has too many rows (or
// k == 0) and belongs to the packed path.
bool skinnySgemm(const SgemmArgs& args);

}  // namespace ferry
