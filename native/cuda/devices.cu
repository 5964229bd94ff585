#include "ferry-cuda.h"

#include <cuda_runtime.h>

namespace ferry {

// Never throws: without a driver or a GPU this is how the addon says why.
DeviceReport queryDevices() {
  DeviceReport report{0, "", "", 0, 0, 0};
  const cudaError_t status = cudaGetDeviceCount(&report.count);
  if (status != cudaSuccess) {
    report.count = 0;
    report.error = cudaGetErrorString(status);
    return report;
  }
  cudaDeviceProp props;
  if (report.count > 0 && cudaGetDeviceProperties(&props, 0) == cudaSuccess) {
    report.firstName = props.name;
    report.major = props.major;
    report.minor = props.minor;
    report.totalMemory = props.totalGlobalMem;
  }
  return report;
}

}  // namespace ferry
