#pragma once

#include <napi.h>

#include <functional>
#include <vector>

namespace ferry {

// Runs `work` now and returns undefined, or, when `async`, on the libuv pool
// and returns a promise. The objects in `keepAlive` (the typed arrays whose
// memory `work` touches) stay referenced until the work is done. `work` may
// hold node-addon-api typed-array wrappers: their Data() reads a pointer cached
// at construction, with no N-API call, so it is safe on a pool thread.
Napi::Value runMaybeAsync(Napi::Env env, bool async, const std::vector<Napi::Object>& keepAlive, std::function<void()> work);

}  // namespace ferry
