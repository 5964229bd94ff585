#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "async-task.h"
#include "bindings.h"
#include "thread-pool.h"

namespace ferry {
namespace {

double logSumExp(const float* row, int vocab) {
  double max = -std::numeric_limits<double>::infinity();
  for (int i = 0; i < vocab; ++i) max = std::max<double>(max, row[i]);
  double sum = 0;
  for (int i = 0; i < vocab; ++i) sum += std::exp(row[i] - max);
  return max + std::log(sum);
}

long rowGrain(int vocab) { return std::max(1L, (1L << 15) / std::max(vocab, 1)); }

// Targets were range-checked in TS. result[0] = summed loss of kept rows, result[1] = their count.
void crossEntropyRows(const float* logits, const int* targets, double* result, long rows, int vocab, int ignoreIndex) {
  ThreadPool& pool = ThreadPool::instance();
  const int chunks = static_cast<int>(std::max(1L, std::min<long>(pool.size(), rows / rowGrain(vocab))));
  std::vector<double> totals(chunks, 0.0), counts(chunks, 0.0);
  pool.parallelFor(chunks, [&](int c) {
    for (long r = rows * c / chunks; r < rows * (c + 1) / chunks; ++r) {
      if (targets[r] == ignoreIndex) continue;
      const float* row = logits + r * vocab;
      totals[c] += logSumExp(row, vocab) - row[targets[r]];
      counts[c] += 1;
    }
  });
  result[0] = result[1] = 0;
  for (int c = 0; c < chunks; ++c) {
    result[0] += totals[c];
    result[1] += counts[c];
  }
}

void crossEntropyBackwardRows(const float* logits, const int* targets, float* grad, long rows, int vocab, int ignoreIndex, double count) {
  parallelRange(rows, rowGrain(vocab), [&](long begin, long end) {
    for (long r = begin; r < end; ++r) {
      float* out = grad + r * vocab;
      if (targets[r] == ignoreIndex) {
        std::fill(out, out + vocab, 0.0f);
        continue;
      }
      const float* row = logits + r * vocab;
      const double lse = logSumExp(row, vocab);
      for (int i = 0; i < vocab; ++i) out[i] = static_cast<float>((std::exp(row[i] - lse) - (i == targets[r] ? 1 : 0)) / count);
    }
  });
}

// (logits, targets, result Float64Array(2), rows, vocab, ignoreIndex, async)
Napi::Value crossEntropy(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 3, "rows");
  const int vocab = dimArg(info, 4, "vocab");
  const int ignoreIndex = info[5].ToNumber().Int32Value();
  auto logits = floatArrayArg(info, 0, "logits", static_cast<size_t>(rows) * vocab);
  auto targets = typedArrayArg<Napi::Int32Array>(info, 1, "targets", napi_int32_array, rows);
  auto result = typedArrayArg<Napi::Float64Array>(info, 2, "result", napi_float64_array, 2);
  const float* lp = logits.Data();
  const int* tp = targets.Data();
  double* rp = result.Data();
  return runMaybeAsync(info.Env(), info[6].ToBoolean(), {logits, targets, result}, [=] { crossEntropyRows(lp, tp, rp, rows, vocab, ignoreIndex); });
}

// (logits, targets, grad, rows, vocab, ignoreIndex, count, async)
Napi::Value crossEntropyBackward(const Napi::CallbackInfo& info) {
  const long rows = dimArg(info, 3, "rows");
  const int vocab = dimArg(info, 4, "vocab");
  const int ignoreIndex = info[5].ToNumber().Int32Value();
  const double count = info[6].ToNumber().DoubleValue();
  auto logits = floatArrayArg(info, 0, "logits", static_cast<size_t>(rows) * vocab);
  auto targets = typedArrayArg<Napi::Int32Array>(info, 1, "targets", napi_int32_array, rows);
  auto grad = floatArrayArg(info, 2, "grad", static_cast<size_t>(rows) * vocab);
  const float* lp = logits.Data();
  const int* tp = targets.Data();
  float* gp = grad.Data();
  return runMaybeAsync(info.Env(), info[7].ToBoolean(), {logits, targets, grad},
                       [=] { crossEntropyBackwardRows(lp, tp, gp, rows, vocab, ignoreIndex, count); });
}

}  // namespace

void registerCrossEntropy(Napi::Env env, Napi::Object exports) {
  exports.Set("crossEntropy", Napi::Function::New(env, crossEntropy, "crossEntropy"));
  exports.Set("crossEntropyBackward", Napi::Function::New(env, crossEntropyBackward, "crossEntropyBackward"));
}

}  // namespace ferry
