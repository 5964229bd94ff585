#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "async-task.h"
#include "bindings.h"
#include "thread-pool.h"

namespace ferry {
namespace {

struct TopkArgs {
  const float* queries;
  const float* matrix;
  int* indices;
  float* scores;
  int queryCount, rows, dim, k;
  bool cosine;
};

double norm(const float* v, int dim) {
  double sum = 0;
  for (int d = 0; d < dim; ++d) sum += static_cast<double>(v[d]) * v[d];
  return std::sqrt(sum);
}

// Scores in double like the js reference; best first, ties by lower row index.
void topk(const TopkArgs& t) {
  std::vector<double> rowNorms(t.cosine ? t.rows : 0);
  for (int r = 0; r < static_cast<int>(rowNorms.size()); ++r) rowNorms[r] = norm(t.matrix + static_cast<long>(r) * t.dim, t.dim);
  const long grain = std::max(1L, (1L << 16) / std::max(1L, static_cast<long>(t.rows) * t.dim));
  parallelRange(t.queryCount, grain, [&](long begin, long end) {
    std::vector<double> score(t.rows);
    std::vector<int> order(t.rows);
    for (long q = begin; q < end; ++q) {
      const float* query = t.queries + q * t.dim;
      const double queryNorm = t.cosine ? norm(query, t.dim) : 1.0;
      for (int r = 0; r < t.rows; ++r) {
        const float* row = t.matrix + static_cast<long>(r) * t.dim;
        double dot = 0;
        for (int d = 0; d < t.dim; ++d) dot += static_cast<double>(query[d]) * row[d];
        const double denominator = t.cosine ? queryNorm * rowNorms[r] : 1.0;
        score[r] = denominator == 0 ? 0 : dot / denominator;
      }
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + t.k, order.end(),
                        [&](int a, int b) { return score[a] > score[b] || (score[a] == score[b] && a < b); });
      for (int i = 0; i < t.k; ++i) {
        t.indices[q * t.k + i] = order[i];
        t.scores[q * t.k + i] = static_cast<float>(score[order[i]]);
      }
    }
  });
}

// (queries, matrix, indices, scores, queryCount, rows, dim, k, cosine, async); k is already clipped to rows.
Napi::Value topkSimilarity(const Napi::CallbackInfo& info) {
  TopkArgs t{};
  t.queryCount = dimArg(info, 4, "queryCount");
  t.rows = dimArg(info, 5, "rows");
  t.dim = dimArg(info, 6, "dim");
  t.k = dimArg(info, 7, "k");
  if (t.k > t.rows) throw Napi::RangeError::New(info.Env(), "k must be <= rows");
  t.cosine = info[8].ToBoolean();
  auto queries = floatArrayArg(info, 0, "queries", static_cast<size_t>(t.queryCount) * t.dim);
  auto matrix = floatArrayArg(info, 1, "matrix", static_cast<size_t>(t.rows) * t.dim);
  auto indices = typedArrayArg<Napi::Int32Array>(info, 2, "indices", napi_int32_array, static_cast<size_t>(t.queryCount) * t.k);
  auto scores = floatArrayArg(info, 3, "scores", static_cast<size_t>(t.queryCount) * t.k);
  t.queries = queries.Data();
  t.matrix = matrix.Data();
  t.indices = indices.Data();
  t.scores = scores.Data();
  return runMaybeAsync(info.Env(), info[9].ToBoolean(), {queries, matrix, indices, scores}, [t] { topk(t); });
}

}  // namespace

void registerTopkSimilarity(Napi::Env env, Napi::Object exports) {
  exports.Set("topkSimilarity", Napi::Function::New(env, topkSimilarity, "topkSimilarity"));
}

}  // namespace ferry
