#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ferry {

// Persistent workers shared by all kernels. One parallel job runs at a time:
// a caller that finds the pool busy (another async call, or a nested call from
// inside a task) runs its tasks itself instead of waiting, so the JS thread
// never blocks behind a long GEMM running on the libuv pool.
class ThreadPool {
 public:
  static ThreadPool& instance();

  // Threads used by a job, the caller included.
  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Waits for the running job, then replaces the workers.
  void resize(int threads);
  // Runs fn(0..tasks-1), dynamically scheduled over the workers and the caller.
  void parallelFor(int tasks, const std::function<void(int)>& fn);
  // Runs fn(0..tasks-1) each on its own thread at the same time, so tasks may
  // wait for each other (a barrier); returns false without running anything
  // when the pool is busy or smaller than `tasks`.
  bool runTeam(int tasks, const std::function<void(int)>& fn);

  ~ThreadPool();

 private:
  explicit ThreadPool(int threads);
  void start(int threads);
  void stop();
  void workerLoop(std::uint64_t seen);
  void drain();
  void post(int tasks, const std::function<void(int)>& fn);

  std::vector<std::thread> workers_;
  std::atomic<bool> busy_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int)>* job_ = nullptr;
  int tasks_ = 0;
  std::atomic<int> next_{0};
  int pending_ = 0;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
};

// A reusable barrier for the threads of one runTeam job. It spins briefly,
// then yields, so an oversubscribed machine does not burn the core a late
// thread needs.
class SpinBarrier {
 public:
  explicit SpinBarrier(int threads) : threads_(threads) {}
  void wait();

 private:
  const int threads_;
  std::atomic<int> arrived_{0};
  std::atomic<int> generation_{0};
};

// FERRY_NUM_THREADS when set to a positive integer, else hardware_concurrency.
int defaultThreadCount();

}  // namespace ferry

namespace ferry {

// Splits [0, n) into one chunk per thread when there are at least `grain`
// items per thread (less is not worth a wake-up), and runs fn(begin, end) on each.
void parallelRange(long n, long grain, const std::function<void(long, long)>& fn);

}  // namespace ferry
