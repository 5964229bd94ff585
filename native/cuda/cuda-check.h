#pragma once
// Error handling and device memory shared by every .cu file: CUDA failures
// become std::runtime_error carrying cudaGetErrorString, which the addon turns
// into a JS exception.
#include <cuda_runtime.h>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace ferry {

inline void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
}

// Launch-configuration errors are only visible through cudaGetLastError; faults
// inside the kernel surface at the next synchronising call (the download).
inline void checkLaunch(const char* kernel) { check(cudaGetLastError(), kernel); }

inline unsigned blocksFor(size_t n, unsigned threads) { return static_cast<unsigned>((n + threads - 1) / threads); }

template <typename T>
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t count) : count_(count) {
    if (count_ > 0) check(cudaMalloc(&ptr_, bytes()), "cudaMalloc");
  }
  DeviceBuffer(const T* host, size_t count) : DeviceBuffer(count) { upload(host); }
  ~DeviceBuffer() {
    if (ptr_ != nullptr) cudaFree(ptr_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  void upload(const T* host) {
    if (count_ > 0) check(cudaMemcpy(ptr_, host, bytes(), cudaMemcpyHostToDevice), "cudaMemcpy to device");
  }
  void download(T* host) const {
    if (count_ > 0) check(cudaMemcpy(host, ptr_, bytes(), cudaMemcpyDeviceToHost), "cudaMemcpy to host");
  }
  void zero() {
    if (count_ > 0) check(cudaMemset(ptr_, 0, bytes()), "cudaMemset");
  }
  T* get() const { return ptr_; }

 private:
  size_t bytes() const { return count_ * sizeof(T); }
  T* ptr_ = nullptr;
  size_t count_;
};

}  // namespace ferry
