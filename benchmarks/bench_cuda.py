#!/usr/bin/env python3
"""Issue 7's GPU benchmarks: libtensor and PyTorch on the same GPU in one process, device
work timed with CUDA events after warm-up (host latency with a wall clock around many
calls and one synchronize). Prints a table of ratios against the issue's targets last.

Usage (on a GPU machine, libtensor's CUDA build on PYTHONPATH):
    python3 benchmarks/bench_cuda.py [--json FILE] [--quick]
"""
import argparse
import json
import math
import time

import torch

import libtensor as lt


def events(lib):
    return lib.cuda.Event(enable_timing=True), lib.cuda.Event(enable_timing=True)


def device_ms(lib, fn, iters=20, warmup=3):
    """Median over 5 repeats of the mean device time of fn, in milliseconds."""
    for _ in range(warmup):
        fn()
    lib.cuda.synchronize()
    times = []
    for _ in range(5):
        start, end = events(lib)
        start.record()
        for _ in range(iters):
            fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / iters)
    return sorted(times)[len(times) // 2]


def host_us(lib, fn, iters=5000):
    """Wall time per call from Python, in microseconds, device work included."""
    for _ in range(200):
        fn()
    lib.cuda.synchronize()
    best = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        lib.cuda.synchronize()
        best = min(best, (time.perf_counter() - t0) / iters * 1e6)
    return best


def gpt(lib, layers=6, d=384, heads=6, T=256, vocab=65):
    nn = lib.nn

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
            self.register_buffer("future", lib.ones(T, T).triu(1).bool())

        def forward(self, x):
            B, S, D = x.shape
            q, k, v = self.qkv(x).split(D, dim=2)
            q, k, v = (t.reshape(B, S, heads, D // heads).transpose(1, 2) for t in (q, k, v))
            att = ((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(D // heads))).masked_fill(self.future, -math.inf)
            return self.proj((att.softmax(dim=-1) @ v).transpose(1, 2).reshape(B, S, D))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1, self.ln2, self.attn = nn.LayerNorm(d), nn.LayerNorm(d), Attention()
            self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

        def forward(self, x):
            x = x + self.attn(self.ln1(x))
            return x + self.mlp(self.ln2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(T, d)
            self.blocks = nn.Sequential(*[Block() for _ in range(layers)])
            self.ln, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)

        def forward(self, idx):
            x = self.tok(idx) + self.pos(lib.arange(idx.shape[1], device=idx.device))
            return self.head(self.ln(self.blocks(x)))

    return GPT().to("cuda")


def workloads(lib, quick):
    dev = "cuda"
    F = lib.nn.functional
    lib.manual_seed(0)
    out = {}
    n = 64 * 2**20
    a, b = lib.randn(n, device=dev), lib.randn(n, device=dev)
    ms = device_ms(lib, lambda: a + b)
    out["add 64M float32 (TB/s)"] = 3 * 4 * n / ms / 1e9
    del a, b
    x = lib.randn(8192, 8192, device=dev)
    w, bias = lib.ones(8192, device=dev), lib.zeros(8192, device=dev)
    target = lib.randint(0, 8192, (8192,), device=dev)
    moved = 2 * 4 * 8192 * 8192
    out["softmax 8192x8192 (TB/s)"] = moved / device_ms(lib, lambda: x.softmax(-1)) / 1e9
    out["log_softmax 8192x8192 (TB/s)"] = moved / device_ms(lib, lambda: x.log_softmax(-1)) / 1e9
    out["layer_norm 8192x8192 (TB/s)"] = moved / device_ms(lib, lambda: F.layer_norm(x, (8192,), w, bias)) / 1e9
    out["cross_entropy 8192x8192 (TB/s)"] = moved / 2 / device_ms(lib, lambda: F.cross_entropy(x, target)) / 1e9
    del x
    m = lib.randn(4096, 4096, device=dev)
    flops = 2 * 4096**3
    lib.backends.cuda.matmul.allow_tf32 = False
    out["matmul 4096 float32 (TFLOP/s)"] = flops / device_ms(lib, lambda: m @ m, iters=10) / 1e9
    lib.backends.cuda.matmul.allow_tf32 = True
    out["matmul 4096 tf32 (TFLOP/s)"] = flops / device_ms(lib, lambda: m @ m, iters=10) / 1e9
    lib.backends.cuda.matmul.allow_tf32 = False
    if lib is lt:  # libtensor's own tiled GEMM (ROCm's product), for the record: no target
        lt.backends.cuda.preferred_blas_library("own")
        out["matmul 4096 float32, tiled GEMM (TFLOP/s)"] = flops / device_ms(lib, lambda: m @ m, iters=5) / 1e9
        lt.backends.cuda.preferred_blas_library("cublas")
    h = lib.randn(8192, 8192, device=dev).to(lib.bfloat16)
    out["matmul 8192 bfloat16 (TFLOP/s)"] = 2 * 8192**3 / device_ms(lib, lambda: h @ h, iters=10) / 1e9
    del m, h
    # A ResNet-style 3x3 convolution, forward and both gradients (cuDNN in both libraries;
    # libtensor's own im2col kernels for the record). Default settings: TF32 allowed.
    for dtype, label in ((lib.float32, "float32"), (lib.bfloat16, "bfloat16")):
        xc = lib.randn(32, 64, 56, 56, device=dev).to(dtype).requires_grad_()
        wc = lib.randn(64, 64, 3, 3, device=dev).to(dtype).requires_grad_()
        gc = lib.randn(32, 64, 56, 56, device=dev).to(dtype)
        row = f"conv2d 3x3 64ch 56x56 batch 32 fwd+bwd {label} (ms)"
        out[row] = device_ms(lib, lambda: F.conv2d(xc, wc, padding=1).backward(gc), iters=10)
        if lib is lt:
            lt.backends.cudnn.enabled = False
            out[row.replace(" (ms)", ", own kernels (ms)")] = device_ms(
                lib, lambda: F.conv2d(xc, wc, padding=1).backward(gc), iters=3)
            lt.backends.cudnn.enabled = True
        del xc, wc, gc
    s, t = lib.ones(1, device=dev), lib.ones(1, device=dev)
    out["small op from Python (us)"] = host_us(lib, lambda: s + t)
    p = lib.ones(1, device=dev, requires_grad=True)

    def three():
        ((p * t).sin() + p).sum().backward()

    out["3-op forward+backward (us)"] = host_us(lib, three, iters=1000)
    for batch in ((8,) if quick else (64, 8)):
        model = gpt(lib)
        opt = lib.optim.AdamW(model.parameters(), lr=3e-4)
        idx, tgt = lib.randint(0, 65, (batch, 256), device=dev), lib.randint(0, 65, (batch, 256), device=dev)

        def step(autocast):
            opt.zero_grad(set_to_none=True)
            with lib.autocast("cuda", dtype=lib.bfloat16, enabled=autocast):
                logits = model(idx)
                loss = F.cross_entropy(logits.view(-1, 65), tgt.view(-1))
            loss.backward()
            opt.step()

        out[f"GPT step batch {batch} float32 (ms)"] = device_ms(lib, lambda: step(False), iters=5, warmup=2)
        out[f"GPT step batch {batch} bf16 autocast (ms)"] = device_ms(lib, lambda: step(True), iters=5, warmup=2)
        if lib is lt and batch == 64:  # for the record: linear biases copied in, not added by cuBLASLt
            lt._C._set_backend_flag("blas_epilogues", False)
            out[f"GPT step batch {batch} float32, no bias epilogue (ms)"] = device_ms(lib, lambda: step(False), iters=5,
                                                                                     warmup=2)
            lt._C._set_backend_flag("blas_epilogues", True)
        del model, opt
    return out


# name: (direction, target ratio); ratio = libtensor / PyTorch for rates, PyTorch / libtensor for times.
TARGETS = {
    "add 64M float32 (TB/s)": 0.95,
    "softmax 8192x8192 (TB/s)": 1.3, "log_softmax 8192x8192 (TB/s)": 1.3, "layer_norm 8192x8192 (TB/s)": 1.3,
    "cross_entropy 8192x8192 (TB/s)": 1.3,
    "matmul 4096 float32 (TFLOP/s)": 0.95, "matmul 4096 tf32 (TFLOP/s)": 0.95, "matmul 8192 bfloat16 (TFLOP/s)": 0.95,
    "small op from Python (us)": 1 / 0.6, "3-op forward+backward (us)": 1 / 0.3,
    "GPT step batch 64 float32 (ms)": 1.0, "GPT step batch 8 float32 (ms)": 1 / 0.8,
    "GPT step batch 64 bf16 autocast (ms)": 1.0, "GPT step batch 8 bf16 autocast (ms)": 1 / 0.8,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    results = {}
    for name, lib in (("libtensor", lt), ("torch", torch)):
        try:
            results[name] = workloads(lib, args.quick)
        except Exception as e:  # keep the other library's figures
            results[name] = {"error": f"{type(e).__name__}: {e}"}
            print(name, "failed:", results[name]["error"])
        if lib is torch:
            torch.cuda.empty_cache()
        else:
            lt.cuda.empty_cache()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print(f"\nGPU: {torch.cuda.get_device_name()}; torch {torch.__version__}; {time.strftime('%Y-%m-%d')}")
    print("| workload | libtensor | PyTorch | ratio | target |")
    print("|---|---|---|---|---|")
    mine, ref = results["libtensor"], results["torch"]
    for name, target in TARGETS.items():
        if name not in mine or name not in ref:
            print(f"| {name} | {mine.get(name, mine.get('error', '-'))} | {ref.get(name, '-')} | | |")
            continue
        rate = not name.endswith("(us)") and not name.endswith("(ms)")
        ratio = mine[name] / ref[name] if rate else ref[name] / mine[name]
        verdict = "met" if ratio >= target * 0.999 else "NOT met"
        print(f"| {name} | {mine[name]:.3g} | {ref[name]:.3g} | {ratio:.2f} | ≥ {target:.2f}: {verdict} |")
    for name in sorted(set(mine) - set(TARGETS) - {"error"}):
        if name in ref:  # compared, without a target
            print(f"| {name} | {mine[name]:.3g} | {ref[name]:.3g} | {ref[name] / mine[name]:.2f} | |")
        else:
            print(f"| {name} | {mine[name]:.3g} | - | | (libtensor only) |")


if __name__ == "__main__":
    main()
