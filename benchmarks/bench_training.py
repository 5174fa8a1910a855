#!/usr/bin/env python3
"""Training steps beside PyTorch in one run (issue 6): forward, backward and optimizer step of
an MLP (784-512-512-10, batch 128, SGD), pytorch/examples' MNIST CNN (batch 64, Adam) and a
small GPT (4 layers, d=128, 4 heads, T=64, batch 16, vocabulary 65, AdamW). The models are
written once against torch.nn's API and built from each library's nn. Writes the table into
benchmarks/README.md between the TRAINING markers.

Usage: PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_training.py
"""
import json
import math

import report  # same directory


def mlp(lib):
    nn = lib.nn
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                          nn.Linear(512, 10))
    return model, lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9), lib.randn(128, 1, 28, 28), \
        lib.randint(0, 10, (128,))


def mnist_cnn(lib):
    nn = lib.nn
    model = nn.Sequential(nn.Conv2d(1, 32, 3, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
                          nn.Linear(128, 10), nn.LogSoftmax(dim=1))
    return model, lib.optim.Adam(model.parameters(), lr=1e-3), lib.randn(64, 1, 28, 28), lib.randint(0, 10, (64,))


def gpt(lib):
    nn = lib.nn

    class Attention(nn.Module):
        def __init__(self, d, heads, T):
            super().__init__()
            self.heads, self.qkv, self.proj = heads, nn.Linear(d, 3 * d), nn.Linear(d, d)
            self.register_buffer("future", lib.ones(T, T).triu(1).bool())

        def forward(self, x):
            B, T, D = x.shape
            q, k, v = self.qkv(x).split(D, dim=2)
            q, k, v = (t.reshape(B, T, self.heads, D // self.heads).transpose(1, 2) for t in (q, k, v))
            att = ((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(D // self.heads))).masked_fill(self.future, -math.inf)
            return self.proj((att.softmax(dim=-1) @ v).transpose(1, 2).reshape(B, T, D))

    class Block(nn.Module):
        def __init__(self, d, heads, T):
            super().__init__()
            self.ln1, self.ln2, self.attn = nn.LayerNorm(d), nn.LayerNorm(d), Attention(d, heads, T)
            self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

        def forward(self, x):
            x = x + self.attn(self.ln1(x))
            return x + self.mlp(self.ln2(x))

    class GPT(nn.Module):
        def __init__(self, vocab=65, d=128, heads=4, layers=4, T=64):
            super().__init__()
            self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(T, d)
            self.blocks = nn.Sequential(*[Block(d, heads, T) for _ in range(layers)])
            self.ln, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)

        def forward(self, idx):
            x = self.tok(idx) + self.pos(lib.arange(idx.shape[1]))
            return self.head(self.ln(self.blocks(x)))

    model = GPT()
    return model, lib.optim.AdamW(model.parameters(), lr=3e-4), lib.randint(0, 65, (16, 64)), \
        lib.randint(0, 65, (16, 64))


WORKLOADS = {
    "MLP 784-512-512-10, batch 128, SGD momentum": mlp,
    "MNIST CNN (pytorch/examples), batch 64, Adam": mnist_cnn,
    "GPT 4 layers, d=128, T=64, batch 16, AdamW": gpt,
}


def child(module_name):
    lib = report.load(module_name)
    timings = {}
    for name, make in WORKLOADS.items():
        model, opt, x, y = make(lib)
        F = lib.nn.functional

        def step():
            out = model(x)
            loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
        timings[name] = report.best(step, number=5)
    print(json.dumps(timings))


def main():
    mine, ref = report.timings_of(__file__, "libtensor"), report.timings_of(__file__, "torch")
    lines = report.header("float32, one training step (forward, loss, backward, optimizer step), best of 7 runs "
                          "of 5 steps, from Python; the same model code on each library's nn. Ratio = PyTorch's "
                          "time / libtensor's.", ["workload", "libtensor ms", "PyTorch ms", "ratio", "target"])
    for name in WORKLOADS:
        ratio = ref[name] / mine[name]
        lines.append(f"| {name} | {mine[name] * 1e3:.2f} | {ref[name] * 1e3:.2f} | {ratio:.2f} | "
                     f"≥ 1 (issue 6): {'met' if ratio >= 1 else 'NOT met'} |")
    table = "\n".join(lines)
    print(table)
    report.write_section("TRAINING", table)


if __name__ == "__main__":
    report.run(child, main)
