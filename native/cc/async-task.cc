#include "async-task.h"

#include <exception>
#include <utility>

namespace ferry {
namespace {

class TaskWorker : public Napi::AsyncWorker {
 public:
  TaskWorker(Napi::Env env, const std::vector<Napi::Object>& keepAlive, std::function<void()> work)
      : Napi::AsyncWorker(env, "ferry.kernel"), work_(std::move(work)), deferred_(Napi::Promise::Deferred::New(env)) {
    for (const auto& object : keepAlive) refs_.push_back(Napi::Persistent(object));
  }

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
    try {
      work_();
    } catch (const std::exception& error) {
      SetError(error.what());
    }
  }

  void OnOK() override { deferred_.Resolve(Env().Undefined()); }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  std::function<void()> work_;
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::ObjectReference> refs_;
};

}  // namespace

Napi::Value runMaybeAsync(Napi::Env env, bool async, const std::vector<Napi::Object>& keepAlive, std::function<void()> work) {
  if (!async) {
    work();
    return env.Undefined();
  }
  auto* worker = new TaskWorker(env, keepAlive, std::move(work));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace ferry
