{
  # ISA-specific micro-kernels live in their own static libraries because gyp
  # has no per-file flags; the addon itself is compiled for the baseline ISA
  # and picks a kernel at run time.
  "variables": {
    "ferry_cflags": ["-O3", "-std=c++17", "-fno-math-errno", "-Wall", "-Wextra", "-Wno-unused-parameter"]
  },
  "targets": [
    {
      "target_name": "ferry_native",
      "sources": [
        "cc/addon.cc",
        "cc/cpu-features.cc",
        "cc/thread-pool.cc",
        "cc/sgemm.cc",
        "cc/gemm-kernel-scalar.cc",
        "cc/skinny-sgemm.cc",
        "cc/skinny-kernel-scalar.cc",
        "cc/matmul-binding.cc",
        "cc/async-task.cc",
        "cc/rowwise-kernels.cc",
        "cc/rowwise-binding.cc",
        "cc/adamw.cc",
        "cc/topk-similarity.cc",
        "cc/quantize-int8.cc",
        "cc/cross-entropy.cc",
        "cc/rope.cc",
        "cc/output-buffer.cc",
        "cc/nf4.cc",
        "cc/attention.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions", "-O2", "-O0"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["<@(ferry_cflags)", "-fexceptions"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["target_arch=='x64'", { "dependencies": ["ferry_avx2", "ferry_avx512"] }]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "ferry_avx2",
          "type": "static_library",
          "sources": ["cc/gemm-kernel-avx2.cc", "cc/skinny-kernel-avx2.cc"],
          "cflags!": ["-O2", "-O0"],
          "cflags_cc!": ["-std=gnu++17", "-std=gnu++20"],
          "cflags_cc": ["<@(ferry_cflags)", "-fPIC", "-mavx2", "-mfma"]
        },
        {
          "target_name": "ferry_avx512",
          "type": "static_library",
          "sources": ["cc/gemm-kernel-avx512.cc", "cc/skinny-kernel-avx512.cc"],
          "cflags!": ["-O2", "-O0"],
          "cflags_cc!": ["-std=gnu++17", "-std=gnu++20"],
          "cflags_cc": ["<@(ferry_cflags)", "-fPIC", "-mavx512f", "-mavx512dq", "-mavx512vl", "-mavx512bw", "-mfma"]
        }
      ]
    }]
  ]
}
