// Kernel-only timings for native/cuda/bench-cuda.mjs: the end-to-end calls
// include host<->device copies, which hide how fast the kernels themselves are.
#include "cuda-check.h"
#include "ferry-cuda.h"

namespace ferry {
namespace {

class Events {
 public:
  Events() {
    check(cudaEventCreate(&start_), "cudaEventCreate");
    check(cudaEventCreate(&stop_), "cudaEventCreate");
  }
  ~Events() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  Events(const Events&) = delete;
  Events& operator=(const Events&) = delete;

  template <typename Launch>
  double millisecondsPer(int iterations, Launch launch) {
    launch();  // warm-up
    check(cudaEventRecord(start_), "cudaEventRecord");
    for (int i = 0; i < iterations; i++) launch();
    check(cudaEventRecord(stop_), "cudaEventRecord");
    check(cudaEventSynchronize(stop_), "cudaEventSynchronize");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, start_, stop_), "cudaEventElapsedTime");
    return ms / iterations;
  }

 private:
  cudaEvent_t start_ = nullptr;
  cudaEvent_t stop_ = nullptr;
};

}  // namespace

double timeMatmul(int m, int n, int k, int iterations) {
  DeviceBuffer<float> a(static_cast<size_t>(m) * k), b(static_cast<size_t>(k) * n), out(static_cast<size_t>(m) * n);
  a.zero();
  b.zero();
  const GemmShape shape{1, m, n, k, false, false, false, 1.0f, 0.0f};
  Events events;
  return events.millisecondsPer(iterations, [&] { matmulOnDevice(a.get(), b.get(), nullptr, out.get(), shape); });
}

double timeAttention(const AttentionShape& s, int iterations) {
  const size_t qSize = static_cast<size_t>(s.batch) * s.time * s.qHeads * s.dim;
  const size_t kvSize = static_cast<size_t>(s.batch) * s.keys * s.kvHeads * s.dim;
  DeviceBuffer<float> q(qSize), k(kvSize), v(kvSize), out(qSize);
  q.zero();
  k.zero();
  v.zero();
  Events events;
  return events.millisecondsPer(iterations, [&] { attentionOnDevice(q.get(), k.get(), v.get(), out.get(), s); });
}

}  // namespace ferry
