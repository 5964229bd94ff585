"""PyTorch side of bench/llama: writes a random-weight Llama folder (config.json + model.safetensors)
and times prefill and KV-cache decode on it with torch (CPU, f32).

  /usr/bin/python3 bench/llama/torch_llama.py write DIR      # the model folder Ferry and torch both load
  /usr/bin/python3 bench/llama/torch_llama.py run DIR PREFILL DECODE THREADS   # prints one JSON line
"""
import json
import os
import sys
import time

import torch

sys.dont_write_bytecode = True  # no __pycache__ beside committed files
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'fixtures', 'llama'))
from llama_torch import TorchLlama, random_weights, write_safetensors  # noqa: E402

# llama2.c's stories110M shape: dim 768, 12 layers, 12 heads, SwiGLU 2048, vocab 32000, tied embeddings.
CONFIG = {
    'architectures': ['LlamaForCausalLM'], 'model_type': 'llama', 'hidden_size': 768, 'intermediate_size': 2048,
    'num_hidden_layers': 12, 'num_attention_heads': 12, 'num_key_value_heads': 12, 'vocab_size': 32000,
    'max_position_embeddings': 1024, 'rms_norm_eps': 1e-5, 'rope_theta': 10000.0, 'rope_scaling': None,
    'tie_word_embeddings': True, 'hidden_act': 'silu', 'bos_token_id': 1, 'eos_token_id': 2, 'torch_dtype': 'float32',
}


# [N, K] of the decode step's matrix-vector products: q/k/v/o, gate/up, down, lm_head.
MATVEC = [(768, 768), (2048, 768), (768, 2048), (32000, 768)]


def prompt_ids(n):
    return [(i * 7919 + 13) % CONFIG['vocab_size'] for i in range(n)]


def write(folder):
    os.makedirs(folder, exist_ok=True)
    weights = random_weights(CONFIG, torch.Generator().manual_seed(0))
    write_safetensors(os.path.join(folder, 'model.safetensors'), weights)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(CONFIG, f, indent=2)
    print(json.dumps({'parameters': sum(t.numel() for t in weights.values())}))


def load(folder):
    with open(os.path.join(folder, 'model.safetensors'), 'rb') as f:
        length = int.from_bytes(f.read(8), 'little')
        header = json.loads(f.read(length))
        data = f.read()
    weights = {}
    for name, meta in header.items():
        if name == '__metadata__':
            continue
        begin, end = meta['data_offsets']
        weights[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(meta['shape'])
    return weights


def run(folder, prefill, decode, threads):
    torch.set_num_threads(threads)
    model = TorchLlama(CONFIG, load(folder), dtype=torch.float32)
    ids = prompt_ids(prefill)
    model.forward(ids[:8])  # warm-up: allocator, thread pool
    start = time.perf_counter()
    logits, _, cache = model.forward(ids)
    prefill_s = time.perf_counter() - start
    tokens = []
    start = time.perf_counter()
    for _ in range(decode):
        token = int(torch.argmax(logits[-1]))
        tokens.append(token)
        logits, _, cache = model.forward([token], cache)
    decode_s = time.perf_counter() - start
    print(json.dumps({'torch': torch.__version__, 'threads': threads, 'prefillTokensPerS': prefill / prefill_s,
                      'decodeTokensPerS': decode / decode_s, 'tokens': tokens, 'matvecMs': matvec_ms()}))


def matvec_ms():
    """Best-of-5 ms of x [1, K] @ W[N, K]^T for the decode step's projection shapes (as MATVEC in llama.bench.mjs)."""
    out = {}
    for n, k in MATVEC:
        w, x = torch.randn(n, k), torch.randn(1, k)
        x @ w.t()
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            x @ w.t()
            runs.append((time.perf_counter() - start) * 1e3)
        out[f'{n}x{k}'] = min(runs)
    return out


if __name__ == '__main__':
    if sys.argv[1] == 'write':
        write(sys.argv[2])
    else:
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
