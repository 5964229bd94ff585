#include "skinny-sgemm.h"

#include <algorithm>
#include <vector>

#include "skinny-kernel.h"
#include "thread-pool.h"

namespace ferry {
namespace {

// Up to this many rows of op(A), streaming B (once per 4 rows) beats packing
// it: measured on AVX-512 with 2 threads, 8 rows of a 2048x768 weight take
// about as long either way, and 1 row is 10x faster unpacked.
constexpr long kMaxSkinnyRows = 8;
// Tasks split columns at multiples of this, a whole vector of every ISA path.
constexpr int kColumnUnit = 16;
constexpr int kTasksPerThread = 4;

}  // namespace

bool skinnySgemm(const SgemmArgs& g) {
  if (g.k == 0) return false;
  // Items that share B and whose rows of A and C follow each other are one taller item.
  const bool fold = g.batch > 1 && !g.transA && g.strideB == 0 && g.strideA == g.m * g.lda && g.strideC == g.m * g.ldc;
  const long totalRows = fold ? static_cast<long>(g.batch) * g.m : g.m;
  if (totalRows > kMaxSkinnyRows) return false;
  const int rows = static_cast<int>(totalRows);
  const int items = fold ? 1 : g.batch;
  const SkinnyKernel& kr = activeSkinnyKernel();

  // The kernels read rows of op(A); a transposed A is gathered into them (rows * k floats, small next to B).
  const float* a = g.a;
  long lda = g.lda, strideA = g.strideA;
  std::vector<float> gathered;
  if (g.transA) {
    gathered.resize(static_cast<size_t>(items) * rows * g.k);
    for (int item = 0; item < items; ++item) {
      const float* src = g.a + item * g.strideA;
      float* dst = gathered.data() + static_cast<long>(item) * rows * g.k;
      for (int p = 0; p < g.k; ++p) {
        for (int i = 0; i < rows; ++i) dst[static_cast<long>(i) * g.k + p] = src[p * g.lda + i];
      }
    }
    a = gathered.data();
    lda = g.k;
    strideA = static_cast<long>(rows) * g.k;
  }

  auto compute = [&](int item, int j0, int j1) {
    const float* ai = a + item * strideA;
    const float* b = g.b + item * g.strideB;
    float* c = g.c + item * g.strideC;
    const auto kernel = g.transB ? kr.dotRows : kr.axpyRows;
    for (int r0 = 0; r0 < rows; r0 += kr.maxRows) {
      kernel(std::min(kr.maxRows, rows - r0), g.k, ai + r0 * lda, lda, b, g.ldb, j0, j1, c + r0 * g.ldc, g.ldc, g.alpha, g.beta);
    }
  };

  ThreadPool& pool = ThreadPool::instance();
  const double macs = static_cast<double>(items) * rows * g.n * g.k;
  const int threads = macs < kGemmParallelMacs ? 1 : pool.size();
  const int units = (g.n + kColumnUnit - 1) / kColumnUnit;
  // A few tasks per thread, taken dynamically: on a shared machine a thread that
  // is descheduled mid-job then holds up only its current slice of B.
  const int perItem = items >= threads ? 1 : std::min((kTasksPerThread * threads + items - 1) / items, units);
  auto run = [&](int task) {
    const int part = task % perItem;
    const int lo = std::min(g.n, units * part / perItem * kColumnUnit);
    const int hi = std::min(g.n, units * (part + 1) / perItem * kColumnUnit);
    if (lo < hi) compute(task / perItem, lo, hi);
  };
  if (threads == 1) {
    for (int task = 0; task < items * perItem; ++task) run(task);
  } else {
    pool.parallelFor(items * perItem, run);
  }
  return true;
}

}  // namespace ferry
