#include "sgemm.h"

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "gemm-kernel.h"
#include "skinny-sgemm.h"
#include "thread-pool.h"

namespace ferry {
namespace {

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};

// Per-thread packing buffer, 64-byte aligned for the vector loads of the micro-kernels.
float* scratch(std::unique_ptr<float[], FreeDeleter>& slot, size_t& capacity, size_t floats) {
  if (floats > capacity) {
    size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
    slot.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
    if (!slot) throw std::bad_alloc();
    capacity = floats;
  }
  return slot.get();
}

// op(A)[i0.., p0..] as mr-row panels: panel[p * mr + i], zero padded to whole panels.
void packA(const SgemmArgs& g, const float* a, int i0, int mc, int p0, int kc, int mr, float* dst) {
  for (int ir = 0; ir < mc; ir += mr) {
    const int rows = std::min(mr, mc - ir);
    for (int p = 0; p < kc; ++p) {
      float* out = dst + p * mr;
      for (int i = 0; i < rows; ++i) {
        const long r = i0 + ir + i, col = p0 + p;
        out[i] = g.transA ? a[col * g.lda + r] : a[r * g.lda + col];
      }
      for (int i = rows; i < mr; ++i) out[i] = 0.0f;
    }
    dst += static_cast<long>(kc) * mr;
  }
}

// op(B)[p0.., j0..] as nr-column panels: panel[p * nr + j], zero padded.
void packB(const SgemmArgs& g, const float* b, int p0, int kc, int j0, int nc, int nr, float* dst) {
  for (int jr = 0; jr < nc; jr += nr) {
    const int cols = std::min(nr, nc - jr);
    for (int p = 0; p < kc; ++p) {
      float* out = dst + p * nr;
      const long row = p0 + p;
      if (g.transB) {
        for (int j = 0; j < cols; ++j) out[j] = b[(j0 + jr + j) * g.ldb + row];
      } else {
        const float* src = b + row * g.ldb + j0 + jr;
        for (int j = 0; j < cols; ++j) out[j] = src[j];
      }
      for (int j = cols; j < nr; ++j) out[j] = 0.0f;
    }
    dst += static_cast<long>(kc) * nr;
  }
}

// Writes a partial tile computed into `tile` (mr x nr, beta already 0) into C with beta.
void mergeEdge(const float* tile, int nr, int rows, int cols, float* c, long ldc, float beta) {
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      float& dst = c[i * ldc + j];
      dst = beta == 0.0f ? tile[i * nr + j] : tile[i * nr + j] + beta * dst;
    }
  }
}

void scaleC(float* c, long ldc, int m0, int m1, int n0, int n1, float beta) {
  for (int i = m0; i < m1; ++i) {
    for (int j = n0; j < n1; ++j) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
  }
}

struct PackBuffers {
  std::unique_ptr<float[], FreeDeleter> a, b;
  size_t capA = 0, capB = 0;
};

PackBuffers& threadBuffers() {
  thread_local PackBuffers buffers;
  return buffers;
}

// Rows [m0, m1) of C for the packed block of B at (pc, jc): packs A block by
// block and runs the micro-kernel over every tile.
void macroKernel(const GemmKernel& kr, const SgemmArgs& g, const float* a, const float* packedB, float* c, int m0, int m1, int jc, int nc, int pc,
                 int kc) {
  PackBuffers& buffers = threadBuffers();
  const int mcMax = std::min(kr.mc, (m1 - m0 + kr.mr - 1) / kr.mr * kr.mr);
  float* packedA = scratch(buffers.a, buffers.capA, static_cast<size_t>(mcMax) * kc);
  alignas(64) float edge[32 * 32];
  // Later K blocks accumulate onto what the first one wrote.
  const float beta = pc == 0 ? g.beta : 1.0f;
  for (int ic = m0; ic < m1; ic += kr.mc) {
    const int mc = std::min(kr.mc, m1 - ic);
    packA(g, a, ic, mc, pc, kc, kr.mr, packedA);
    for (int jr = 0; jr < nc; jr += kr.nr) {
      const int cols = std::min(kr.nr, nc - jr);
      const float* panelB = packedB + static_cast<long>(jr) * kc;
      for (int ir = 0; ir < mc; ir += kr.mr) {
        const int rows = std::min(kr.mr, mc - ir);
        const float* panelA = packedA + static_cast<long>(ir) * kc;
        float* cTile = c + (ic + ir) * g.ldc + jc + jr;
        if (rows == kr.mr && cols == kr.nr) {
          kr.tile(kc, panelA, panelB, cTile, g.ldc, g.alpha, beta);
        } else {
          kr.tile(kc, panelA, panelB, edge, kr.nr, g.alpha, 0.0f);
          mergeEdge(edge, kr.nr, rows, cols, cTile, g.ldc, beta);
        }
      }
    }
  }
}

size_t packedBFloats(const GemmKernel& kr, const SgemmArgs& g, int columns) {
  return static_cast<size_t>(std::min(kr.nc, (columns + kr.nr - 1) / kr.nr * kr.nr)) * std::min(kr.kc, g.k);
}

// The serial blocked GEMM over rows [m0, m1) and columns [n0, n1) of one batch item.
void gemmBlock(const GemmKernel& kr, const SgemmArgs& g, const float* a, const float* b, float* c, int m0, int m1, int n0, int n1) {
  if (g.k == 0) {
    scaleC(c, g.ldc, m0, m1, n0, n1, g.beta);
    return;
  }
  PackBuffers& buffers = threadBuffers();
  float* packedB = scratch(buffers.b, buffers.capB, packedBFloats(kr, g, n1 - n0));
  for (int jc = n0; jc < n1; jc += kr.nc) {
    const int nc = std::min(kr.nc, n1 - jc);
    for (int pc = 0; pc < g.k; pc += kr.kc) {
      const int kc = std::min(kr.kc, g.k - pc);
      packB(g, b, pc, kc, jc, nc, kr.nr, packedB);
      macroKernel(kr, g, a, packedB, c, m0, m1, jc, nc, pc, kc);
    }
  }
}

// Member `t` of a team of `team` threads on one batch item: the team packs
// each block of B once, together, and each member computes its own rows, so
// neither operand is packed twice.
void gemmTeamMember(const GemmKernel& kr, const SgemmArgs& g, const float* a, const float* b, float* c, float* sharedB, SpinBarrier& barrier, int t,
                    int team) {
  const int panels = (g.m + kr.mr - 1) / kr.mr;
  const int m0 = std::min(g.m, panels * t / team * kr.mr);
  const int m1 = std::min(g.m, panels * (t + 1) / team * kr.mr);
  for (int jc = 0; jc < g.n; jc += kr.nc) {
    const int nc = std::min(kr.nc, g.n - jc);
    for (int pc = 0; pc < g.k; pc += kr.kc) {
      const int kc = std::min(kr.kc, g.k - pc);
      for (int jr = t * kr.nr; jr < nc; jr += team * kr.nr) {
        packB(g, b, pc, kc, jc + jr, std::min(kr.nr, nc - jr), kr.nr, sharedB + static_cast<long>(jr) * kc);
      }
      barrier.wait();
      if (m0 < m1) macroKernel(kr, g, a, sharedB, c, m0, m1, jc, nc, pc, kc);
      // B is repacked next: wait until everyone is done reading it.
      barrier.wait();
    }
  }
}

}  // namespace

void sgemm(const SgemmArgs& g) {
  if (g.batch <= 0 || g.m <= 0 || g.n <= 0) return;
  if (skinnySgemm(g)) return;
  const GemmKernel& kr = activeGemmKernel();
  ThreadPool& pool = ThreadPool::instance();
  const double macs = static_cast<double>(g.batch) * g.m * g.n * std::max(g.k, 1);
  const int threads = macs < kGemmParallelMacs ? 1 : pool.size();
  auto item = [&](int index, auto&& body) { body(g.a + index * g.strideA, g.b + index * g.strideB, g.c + index * g.strideC); };

  // Fewer items than threads, each tall enough to split by rows: a team per item.
  if (threads > 1 && g.batch < threads && g.k > 0 && g.m >= 4 * kr.mr * threads) {
    std::unique_ptr<float[], FreeDeleter> shared;
    size_t capacity = 0;
    float* sharedB = scratch(shared, capacity, packedBFloats(kr, g, g.n));
    for (int index = 0; index < g.batch; ++index) {
      item(index, [&](const float* a, const float* b, float* c) {
        SpinBarrier barrier(threads);
        const bool ran = pool.runTeam(threads, [&](int t) { gemmTeamMember(kr, g, a, b, c, sharedB, barrier, t, threads); });
        if (!ran) gemmBlock(kr, g, a, b, c, 0, g.m, 0, g.n);
      });
    }
    return;
  }

  // Otherwise items are independent tasks, split along their longer side when
  // there are fewer items than threads (a little packing is repeated).
  const bool splitN = g.n >= g.m;
  const int unit = splitN ? kr.nr : kr.mr;
  const int extent = splitN ? g.n : g.m;
  const int units = (extent + unit - 1) / unit;
  const int perItem = g.batch >= threads ? 1 : std::min((threads + g.batch - 1) / g.batch, units);
  auto run = [&](int task) {
    const int part = task % perItem;
    const int lo = std::min(extent, units * part / perItem * unit);
    const int hi = std::min(extent, units * (part + 1) / perItem * unit);
    if (lo >= hi) return;
    item(task / perItem, [&](const float* a, const float* b, float* c) {
      if (splitN) gemmBlock(kr, g, a, b, c, 0, g.m, lo, hi);
      else gemmBlock(kr, g, a, b, c, lo, hi, 0, g.n);
    });
  };
  if (threads == 1) {
    for (int task = 0; task < g.batch * perItem; ++task) run(task);
  } else {
    pool.parallelFor(g.batch * perItem, run);
  }
}

}  // namespace ferry
