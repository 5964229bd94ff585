#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "async-task.h"
#include "bindings.h"
#include "thread-pool.h"

namespace ferry {
namespace {

// q [B, T, Hq, D], k and v [B, S, Hkv, D]; query head h reads kv head h / (Hq / Hkv).
struct Geometry {
  int batch, time, keys, qHeads, kvHeads, dim;
  double scale;
  bool causal;
  long q(int b, int t, int h) const { return ((static_cast<long>(b) * time + t) * qHeads + h) * dim; }
  long kv(int b, int s, int kvh) const { return ((static_cast<long>(b) * keys + s) * kvHeads + kvh) * dim; }
  // With S > T the causal mask is aligned to the end: query t sees keys s <= t + S - T.
  int visible(int t) const { return causal ? std::max(0, std::min(keys, t + keys - time + 1)) : keys; }
};

// softmax(scale * q.k) over the visible keys, in double like the js reference; returns how many keys are visible.
int rowProbabilities(const Geometry& g, const float* q, const float* k, int b, int t, int h, int kvh, double* probs) {
  const int visible = g.visible(t);
  const float* qRow = q + g.q(b, t, h);
  double max = -std::numeric_limits<double>::infinity();
  for (int s = 0; s < visible; ++s) {
    const float* kRow = k + g.kv(b, s, kvh);
    double dot = 0;
    for (int d = 0; d < g.dim; ++d) dot += static_cast<double>(qRow[d]) * kRow[d];
    probs[s] = dot * g.scale;
    max = std::max(max, probs[s]);
  }
  double sum = 0;
  for (int s = 0; s < visible; ++s) sum += probs[s] = std::exp(probs[s] - max);
  for (int s = 0; s < visible; ++s) probs[s] /= sum;
  return visible;
}

long grainFor(const Geometry& g) { return std::max(1L, (1L << 16) / std::max(1L, static_cast<long>(g.time) * g.keys * g.dim)); }

void forward(const Geometry& g, const float* q, const float* k, const float* v, float* out) {
  // One task per (batch, query head): rows are independent.
  parallelRange(static_cast<long>(g.batch) * g.qHeads, grainFor(g), [&](long begin, long end) {
    std::vector<double> probs(g.keys), row(g.dim);
    for (long task = begin; task < end; ++task) {
      const int b = static_cast<int>(task / g.qHeads), h = static_cast<int>(task % g.qHeads);
      const int kvh = h / (g.qHeads / g.kvHeads);
      for (int t = 0; t < g.time; ++t) {
        const int visible = rowProbabilities(g, q, k, b, t, h, kvh, probs.data());
        std::fill(row.begin(), row.end(), 0.0);
        for (int s = 0; s < visible; ++s) {
          const float* vRow = v + g.kv(b, s, kvh);
          for (int d = 0; d < g.dim; ++d) row[d] += probs[s] * vRow[d];
        }
        float* o = out + g.q(b, t, h);
        for (int d = 0; d < g.dim; ++d) o[d] = static_cast<float>(row[d]);
      }
    }
  });
}

// dV = P^T dO, dP = dO V^T, dS = P * (dP - rowsum(dP * P)), dQ = scale dS K, dK = scale dS^T Q.
void backward(const Geometry& g, const float* q, const float* k, const float* v, const float* dout, float* dq, float* dk, float* dv) {
  const int group = g.qHeads / g.kvHeads;
  // One task per (batch, kv head): it owns that head's dk and dv and the dq of its query heads, so no writes collide.
  parallelRange(static_cast<long>(g.batch) * g.kvHeads, std::max(1L, grainFor(g) / group), [&](long begin, long end) {
    std::vector<double> probs(g.keys), dProbs(g.keys), dqRow(g.dim);
    std::vector<double> dkAcc(static_cast<size_t>(g.keys) * g.dim), dvAcc(static_cast<size_t>(g.keys) * g.dim);
    for (long task = begin; task < end; ++task) {
      const int b = static_cast<int>(task / g.kvHeads), kvh = static_cast<int>(task % g.kvHeads);
      std::fill(dkAcc.begin(), dkAcc.end(), 0.0);
      std::fill(dvAcc.begin(), dvAcc.end(), 0.0);
      for (int h = kvh * group; h < (kvh + 1) * group; ++h) {
        for (int t = 0; t < g.time; ++t) {
          const int visible = rowProbabilities(g, q, k, b, t, h, kvh, probs.data());
          const float* dRow = dout + g.q(b, t, h);
          const float* qRow = q + g.q(b, t, h);
          double rowDot = 0;
          for (int s = 0; s < visible; ++s) {
            const float* vRow = v + g.kv(b, s, kvh);
            double* dvRow = dvAcc.data() + static_cast<long>(s) * g.dim;
            double dp = 0;
            for (int d = 0; d < g.dim; ++d) {
              dp += static_cast<double>(dRow[d]) * vRow[d];
              dvRow[d] += probs[s] * dRow[d];
            }
            dProbs[s] = dp;
            rowDot += dp * probs[s];
          }
          std::fill(dqRow.begin(), dqRow.end(), 0.0);
          for (int s = 0; s < visible; ++s) {
            const double dScore = probs[s] * (dProbs[s] - rowDot) * g.scale;
            const float* kRow = k + g.kv(b, s, kvh);
            double* dkRow = dkAcc.data() + static_cast<long>(s) * g.dim;
            for (int d = 0; d < g.dim; ++d) {
              dqRow[d] += dScore * kRow[d];
              dkRow[d] += dScore * qRow[d];
            }
          }
          float* dqOut = dq + g.q(b, t, h);
          for (int d = 0; d < g.dim; ++d) dqOut[d] = static_cast<float>(dqRow[d]);
        }
      }
      for (int s = 0; s < g.keys; ++s) {
        const long base = g.kv(b, s, kvh);
        for (int d = 0; d < g.dim; ++d) {
          dk[base + d] = static_cast<float>(dkAcc[static_cast<size_t>(s) * g.dim + d]);
          dv[base + d] = static_cast<float>(dvAcc[static_cast<size_t>(s) * g.dim + d]);
        }
      }
    }
  });
}

// Shapes were checked in TS: (..., batch, time, keys, qHeads, kvHeads, dim, scale, causal, async) from `first`.
Geometry geometryArgs(const Napi::CallbackInfo& info, size_t first) {
  Geometry g{};
  g.batch = dimArg(info, first, "batch");
  g.time = dimArg(info, first + 1, "time");
  g.keys = dimArg(info, first + 2, "keys");
  g.qHeads = dimArg(info, first + 3, "qHeads");
  g.kvHeads = dimArg(info, first + 4, "kvHeads");
  g.dim = dimArg(info, first + 5, "dim");
  g.scale = info[first + 6].ToNumber().DoubleValue();
  g.causal = info[first + 7].ToBoolean();
  if (g.kvHeads == 0 || g.qHeads % g.kvHeads != 0) throw Napi::RangeError::New(info.Env(), "qHeads must be a multiple of kvHeads");
  return g;
}

size_t qSize(const Geometry& g) { return static_cast<size_t>(g.batch) * g.time * g.qHeads * g.dim; }
size_t kvSize(const Geometry& g) { return static_cast<size_t>(g.batch) * g.keys * g.kvHeads * g.dim; }

// (q, k, v, out, geometry..., async)
Napi::Value attention(const Napi::CallbackInfo& info) {
  const Geometry g = geometryArgs(info, 4);
  auto q = floatArrayArg(info, 0, "q", qSize(g));
  auto k = floatArrayArg(info, 1, "k", kvSize(g));
  auto v = floatArrayArg(info, 2, "v", kvSize(g));
  auto out = floatArrayArg(info, 3, "out", qSize(g));
  const float *qp = q.Data(), *kp = k.Data(), *vp = v.Data();
  float* op = out.Data();
  return runMaybeAsync(info.Env(), info[12].ToBoolean(), {q, k, v, out}, [=] { forward(g, qp, kp, vp, op); });
}

// (q, k, v, dout, dq, dk, dv, geometry..., async)
Napi::Value attentionBackward(const Napi::CallbackInfo& info) {
  const Geometry g = geometryArgs(info, 7);
  auto q = floatArrayArg(info, 0, "q", qSize(g));
  auto k = floatArrayArg(info, 1, "k", kvSize(g));
  auto v = floatArrayArg(info, 2, "v", kvSize(g));
  auto dout = floatArrayArg(info, 3, "dout", qSize(g));
  auto dq = floatArrayArg(info, 4, "dq", qSize(g));
  auto dk = floatArrayArg(info, 5, "dk", kvSize(g));
  auto dv = floatArrayArg(info, 6, "dv", kvSize(g));
  const float *qp = q.Data(), *kp = k.Data(), *vp = v.Data(), *dp = dout.Data();
  float *dqp = dq.Data(), *dkp = dk.Data(), *dvp = dv.Data();
  return runMaybeAsync(info.Env(), info[15].ToBoolean(), {q, k, v, dout, dq, dk, dv}, [=] { backward(g, qp, kp, vp, dp, dqp, dkp, dvp); });
}

}  // namespace

void registerAttention(Napi::Env env, Napi::Object exports) {
  exports.Set("attention", Napi::Function::New(env, attention, "attention"));
  exports.Set("attentionBackward", Napi::Function::New(env, attentionBackward, "attentionBackward"));
}

}  // namespace ferry
