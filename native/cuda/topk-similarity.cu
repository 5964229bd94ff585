// Scores every (query, row) pair on the device in f64, summing in the order of
// the js reference; the best k per query are then picked on the host, where a
// partial sort with "score desc, index asc" gives the reference's tie order.
#include "cuda-check.h"
#include "ferry-cuda.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace ferry {
namespace {

constexpr unsigned kThreads = 256;

__global__ void rowNormsKernel(const float* data, int rows, int dim, double* norms) {
  const int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  double sum = 0;
  for (int d = 0; d < dim; d++) {
    const double value = data[static_cast<size_t>(r) * dim + d];
    sum += value * value;
  }
  norms[r] = sqrt(sum);
}

// One thread per (query, row) of a chunk of queries; consecutive threads walk consecutive rows.
__global__ void scoresKernel(const float* queries, const float* matrix, const double* queryNorms, const double* rowNorms, int rows, int dim, size_t pairs, double* scores) {
  const size_t pair = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (pair >= pairs) return;
  const size_t q = pair / rows;
  const size_t r = pair % rows;
  double dot = 0;
  for (int d = 0; d < dim; d++) dot += static_cast<double>(queries[q * dim + d]) * matrix[r * dim + d];
  const double denominator = rowNorms == nullptr ? 1.0 : queryNorms[q] * rowNorms[r];
  scores[pair] = denominator == 0 ? 0.0 : dot / denominator;
}

// Queries are scored in chunks so the f64 score block stays around 512 MiB on either side.
constexpr size_t kMaxScores = size_t{1} << 26;

}  // namespace

void topkSimilarity(const float* queries, const float* matrix, int32_t* indices, float* scores, int queryCount, int rows, int dim, int k, bool cosine) {
  if (queryCount == 0 || rows == 0 || k == 0) return;
  DeviceBuffer<float> dQueries(queries, static_cast<size_t>(queryCount) * dim), dMatrix(matrix, static_cast<size_t>(rows) * dim);
  DeviceBuffer<double> queryNorms(cosine ? queryCount : 0), rowNorms(cosine ? rows : 0);
  if (cosine) {
    rowNormsKernel<<<blocksFor(queryCount, kThreads), kThreads>>>(dQueries.get(), queryCount, dim, queryNorms.get());
    rowNormsKernel<<<blocksFor(rows, kThreads), kThreads>>>(dMatrix.get(), rows, dim, rowNorms.get());
    checkLaunch("topkSimilarity norms kernel");
  }
  const int chunk = static_cast<int>(std::max<size_t>(1, std::min<size_t>(queryCount, kMaxScores / rows)));
  DeviceBuffer<double> dScores(static_cast<size_t>(chunk) * rows);
  std::vector<double> chunkScores(static_cast<size_t>(chunk) * rows);
  std::vector<int32_t> order(rows);
  for (int q0 = 0; q0 < queryCount; q0 += chunk) {
    const int count = std::min(chunk, queryCount - q0);
    const size_t pairs = static_cast<size_t>(count) * rows;
    scoresKernel<<<blocksFor(pairs, kThreads), kThreads>>>(dQueries.get() + static_cast<size_t>(q0) * dim, dMatrix.get(), cosine ? queryNorms.get() + q0 : nullptr,
                                                           rowNorms.get(), rows, dim, pairs, dScores.get());
    checkLaunch("topkSimilarity scores kernel");
    check(cudaMemcpy(chunkScores.data(), dScores.get(), pairs * sizeof(double), cudaMemcpyDeviceToHost), "cudaMemcpy to host");
    for (int c = 0; c < count; c++) {
      const double* row = chunkScores.data() + static_cast<size_t>(c) * rows;
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + k, order.end(), [row](int32_t a, int32_t b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
      const size_t out = static_cast<size_t>(q0 + c) * k;
      for (int i = 0; i < k; i++) {
        indices[out + i] = order[i];
        scores[out + i] = static_cast<float>(row[order[i]]);
      }
    }
  }
}

}  // namespace ferry
