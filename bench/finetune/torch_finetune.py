"""PyTorch side of bench/finetune: the same Llama shape (dim 288, 6 layers, 6 heads, vocab 512), LoRA r=8 on
q, k, v, o (or full fine-tuning), one optimizer step = forward + backward + AdamW over a batch of 8 x 256 tokens,
causal-LM loss on every token; fp32 on CPU. Prints one JSON line.
  /usr/bin/python3 bench/finetune/torch_finetune.py lora|full [steps] [seq] [batch]"""
import json
import math
import resource
import sys
import time

import torch

mode = sys.argv[1]
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
T = int(sys.argv[3]) if len(sys.argv) > 3 else 256
B = int(sys.argv[4]) if len(sys.argv) > 4 else 8
H, I, L, NH, V, R, ALPHA = 288, 768, 6, 6, 512, 8, 16
D = H // NH
torch.manual_seed(0)


def lin(o, i):
    return torch.nn.Parameter(torch.randn(o, i) * 0.02, requires_grad=(mode == 'full'))


class Lora(torch.nn.Module):
    def __init__(self, o, i):
        super().__init__()
        self.weight = lin(o, i)
        self.adapted = mode == 'lora'
        if self.adapted:
            self.a = torch.nn.Parameter(torch.empty(R, i).uniform_(-1 / math.sqrt(i), 1 / math.sqrt(i)))
            self.b = torch.nn.Parameter(torch.randn(o, R) * 0.01)

    def forward(self, x):
        y = x @ self.weight.t()
        return y + (ALPHA / R) * ((x @ self.a.t()) @ self.b.t()) if self.adapted else y


class Plain(torch.nn.Module):
    def __init__(self, o, i):
        super().__init__()
        self.weight = lin(o, i)

    def forward(self, x):
        return x @ self.weight.t()


class Norm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(H), requires_grad=(mode == 'full'))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5))


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.n1, self.n2 = Norm(), Norm()
        self.q, self.k, self.v, self.o = Lora(H, H), Lora(H, H), Lora(H, H), Lora(H, H)
        self.gate, self.up, self.down = Plain(I, H), Plain(I, H), Plain(H, I)

    def forward(self, x, cos, sin, mask):
        h = self.n1(x)
        q, k, v = (m(h).view(B, T, NH, D).transpose(1, 2) for m in (self.q, self.k, self.v))
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D) + mask, -1) @ v
        x = x + self.o(att.transpose(1, 2).reshape(B, T, H))
        h = self.n2(x)
        return x + self.down(torch.nn.functional.silu(self.gate(h)) * self.up(h))


def rot(x):
    return torch.cat((-x[..., D // 2:], x[..., :D // 2]), -1)


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Parameter(torch.randn(V, H) * 0.02, requires_grad=(mode == 'full'))
        self.blocks = torch.nn.ModuleList(Block() for _ in range(L))
        self.norm = Norm()
        self.head = Plain(V, H)

    def forward(self, ids):
        inv = 1.0 / (10000 ** (torch.arange(0, D, 2).float() / D))
        f = torch.arange(T).float()[:, None] * inv[None]
        emb = torch.cat((f, f), -1)
        cos, sin = emb.cos(), emb.sin()
        mask = torch.full((T, T), float('-inf')).triu(1)
        x = self.emb[ids]
        for blk in self.blocks:
            x = blk(x, cos, sin, mask)
        return self.head(self.norm(x))


model = Model()
params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0)
ids = (torch.arange(T)[None] * 131 + torch.arange(B)[:, None] * 17 + 5) % V


def step():
    logits = model(ids)
    loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, V), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return float(loss)


step()
times = []
for _ in range(steps):
    t = time.perf_counter()
    loss = step()
    times.append(time.perf_counter() - t)
trainable = sum(p.numel() for p in params)
print(json.dumps({'mode': mode, 'threads': torch.get_num_threads(), 'stepSeconds': min(times), 'stepSecondsAll': times, 'loss': loss,
                  'trainableParams': trainable, 'optimizerStateBytes': trainable * 8,
                  'maxRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'torch': torch.__version__}))
