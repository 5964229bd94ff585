#!/usr/bin/env bash
# GPU check, run from the repository root on a machine with a CUDA device,
# nvcc, node and npm: builds the cuda addon, runs the conformance kit against
# the cuda backend and the GEMM / attention benchmark. Logs go to $OUT when set.
set -euo pipefail
out="${OUT:-native/cuda/build/check}"
mkdir -p "$out"

# The workspace install needs the network; skip it when node_modules came along.
[ -d node_modules/@ferry/core ] || npm run setup
[ -f packages/core/dist/testing/index.js ] || npx tsc -b packages/core

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$out/nvidia-smi.txt" || true
node native/cuda/build-cuda.mjs 2>&1 | tee "$out/build.txt"
test -f native/cuda/build/ferry_cuda.node
cp native/cuda/build/ferry-cuda-status.json "$out/"
# Without a device the tests below would skip and pass, so stop here instead.
node -e "const d = require('./native/cuda/build/ferry_cuda.node').devices(); console.log(d); process.exit(d.count > 0 ? 0 : 1)" | tee "$out/devices.txt"

status=0
timeout 240 npx vitest run native/src/cuda-backend.test.ts --reporter=verbose > "$out/conformance.txt" 2>&1 || status=$?
grep -E "✓|✗|×|FAIL|Tests" "$out/conformance.txt" | tail -40
timeout 120 node native/cuda/bench-cuda.mjs 2>&1 | tee "$out/bench.txt" || status=$?
exit "$status"
