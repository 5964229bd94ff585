#include "thread-pool.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace ferry {

constexpr int kSpinMicros = 200;
constexpr int kWorkerNice = 5;

int defaultThreadCount() {
  const char* env = std::getenv("FERRY_NUM_THREADS");
  if (env != nullptr) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

ThreadPool& ThreadPool::instance() {
  // Leaked on purpose: joining threads from a static destructor at process exit can deadlock.
  static ThreadPool* pool = new ThreadPool(defaultThreadCount());
  return *pool;
}

ThreadPool::ThreadPool(int threads) { start(threads); }

ThreadPool::~ThreadPool() { stop(); }

void ThreadPool::start(int threads) {
  stopping_ = false;
  // The generation is read here, not in the thread, so a job posted before a
  // new worker first runs is not missed.
  const std::uint64_t generation = generation_;
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, generation] { workerLoop(generation); });
}

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
  workers_.clear();
}

void ThreadPool::resize(int threads) {
  if (threads < 1) threads = 1;
  bool expected = false;
  while (!busy_.compare_exchange_weak(expected, true)) {
    expected = false;
    std::this_thread::yield();
  }
  stop();
  start(threads);
  busy_.store(false);
}

void ThreadPool::drain() {
  for (int task = next_.fetch_add(1); task < tasks_; task = next_.fetch_add(1)) (*job_)(task);
}

void ThreadPool::parallelFor(int tasks, const std::function<void(int)>& fn) {
  bool expected = false;
  if (tasks <= 1 || workers_.empty() || !busy_.compare_exchange_strong(expected, true)) {
    for (int task = 0; task < tasks; ++task) fn(task);
    return;
  }
  post(tasks, fn);
}

bool ThreadPool::runTeam(int tasks, const std::function<void(int)>& fn) {
  bool expected = false;
  if (tasks > size() || !busy_.compare_exchange_strong(expected, true)) return false;
  // Every participant blocks inside its first task until the whole team has
  // arrived, so no thread can take a second task: each gets its own thread.
  post(tasks, fn);
  return true;
}

void ThreadPool::post(int tasks, const std::function<void(int)>& fn) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    tasks_ = tasks;
    next_.store(0);
    pending_ = static_cast<int>(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  drain();
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }
  busy_.store(false);
}

void SpinBarrier::wait() {
  const int generation = generation_.load(std::memory_order_acquire);
  if (arrived_.fetch_add(1, std::memory_order_acq_rel) == threads_ - 1) {
    arrived_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    return;
  }
  for (int spin = 0; generation_.load(std::memory_order_acquire) == generation; ++spin) {
    if (spin > 2000) std::this_thread::yield();
  }
}

void ThreadPool::workerLoop(std::uint64_t seen) {
#ifdef __linux__
  // When the pool fills every core, Node's main thread competes with it; a
  // lower priority for the helpers lets the event loop run the moment it
  // wakes, at the cost of a slightly slower GEMM while it does.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kWorkerNice);
#endif
  for (;;) {
    // Back-to-back kernel calls (a training step, a batch of GEMMs) find the
    // worker still spinning and skip the futex wake-up, which costs as much as
    // a small GEMM on a VM.
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
    while (generation_.load(std::memory_order_acquire) == seen && !stopping_.load(std::memory_order_relaxed) &&
           std::chrono::steady_clock::now() < until) {
      std::this_thread::yield();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
    if (stopping_) return;
    seen = generation_;
    lock.unlock();
    drain();
    lock.lock();
    if (--pending_ == 0) done_.notify_one();
  }
}

}  // namespace ferry

namespace ferry {

void parallelRange(long n, long grain, const std::function<void(long, long)>& fn) {
  ThreadPool& pool = ThreadPool::instance();
  const long chunks = std::max(1L, std::min<long>(pool.size(), n / std::max(grain, 1L)));
  if (chunks == 1) {
    fn(0, n);
    return;
  }
  pool.parallelFor(static_cast<int>(chunks), [&](int chunk) { fn(n * chunk / chunks, n * (chunk + 1) / chunks); });
}

}  // namespace ferry
