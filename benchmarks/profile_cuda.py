#!/usr/bin/env python3
"""Where the GPU time of bench_cuda.py's slow rows goes: PyTorch's profiler (CUPTI sees
every kernel the process launches, libtensor's too) over a few GPT training steps and
cross_entropy calls, for libtensor and for PyTorch, kernels grouped by name.

Usage (on a GPU machine, libtensor's CUDA build on PYTHONPATH):
    python3 benchmarks/profile_cuda.py [--batch 64] [--top 25]
"""
import argparse
import re
import time

import torch
from torch.profiler import ProfilerActivity, profile

import libtensor as lt
from bench_cuda import gpt, host_us


def short(name, width=100):
    """A kernel's name without its template arguments' noise."""
    name = re.sub(r"\(anonymous namespace\)::", "", name)
    name = re.sub(r"\s+", " ", name)
    return name if len(name) <= width else name[: width - 3] + "..."


def kernel_table(prof, steps, top):
    """Per-step device time by kernel name, largest first; the total of every kernel; the
    device's idle gaps over 3 us, by the kernel that waited (it was launched late)."""
    totals, spans = {}, []
    for e in prof.events():
        if e.device_type == torch.autograd.DeviceType.CUDA:
            t, n = totals.get(e.name, (0.0, 0))
            totals[e.name] = (t + e.time_range.elapsed_us(), n + 1)
            spans.append((e.time_range.start, e.time_range.end, e.name))
    ranked = sorted(totals.items(), key=lambda kv: -kv[1][0])
    whole = sum(t for t, _ in totals.values()) / steps
    count = sum(n for _, n in totals.values()) / steps
    lines = [f"  {t / steps / 1000:8.3f} ms  {n // steps:5d}x  {short(name)}" for name, (t, n) in ranked[:top]]
    spans.sort()
    gaps, idle, end = {}, 0.0, None
    for start, stop, name in spans:
        if end is not None and start - end > 3:
            idle += start - end
            g, n = gaps.get(name, (0.0, 0))
            gaps[name] = (g + start - end, n + 1)
        end = stop if end is None else max(end, stop)
    lines.append(f"  {count:.0f} kernels per step; idle gaps over 3 us: {idle / steps / 1000:.3f} ms per step, "
                 "before these kernels:")
    for name, (g, n) in sorted(gaps.items(), key=lambda kv: -kv[1][0])[:8]:
        lines.append(f"  {g / steps / 1000:8.3f} ms  {n / steps:5.1f}x  {short(name)}")
    return whole, lines


def measure(lib, label, fn, steps, top):
    for _ in range(3):
        fn()
    lib.cuda.synchronize()
    t0 = time.perf_counter()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(steps):
            fn()
        lib.cuda.synchronize()
    wall = (time.perf_counter() - t0) / steps * 1000
    whole, lines = kernel_table(prof, steps, top)
    print(f"\n{label}: kernels {whole / 1000:.3f} ms per step, wall {wall:.3f} ms (profiled)")
    print("\n".join(lines))


def gpt_step(lib, batch, autocast):
    F = lib.nn.functional
    lib.manual_seed(0)
    model = gpt(lib)
    opt = lib.optim.AdamW(model.parameters(), lr=3e-4)
    idx, tgt = lib.randint(0, 65, (batch, 256), device="cuda"), lib.randint(0, 65, (batch, 256), device="cuda")

    def step():
        opt.zero_grad(set_to_none=True)
        with lib.autocast("cuda", dtype=lib.bfloat16, enabled=autocast):
            loss = F.cross_entropy(model(idx).view(-1, 65), tgt.view(-1))
        loss.backward()
        opt.step()

    return step


def host_breakdown(lib, name):
    """The small operator's host time taken apart: what a view (no kernel, no memory), an
    allocation, an in-place add (a kernel, no memory) and a whole add cost from Python."""
    s, t = lib.ones(1, device="cuda"), lib.ones(1, device="cuda")
    p = lib.ones(1, device="cuda", requires_grad=True)
    rows = {
        "s.view(1)": lambda: s.view(1),
        "empty(1)": lambda: lib.empty(1, device="cuda"),
        "s.add_(t)": lambda: s.add_(t),
        "s + t": lambda: s + t,
        "s + 1.0": lambda: s + 1.0,
        "s.sin()": lambda: s.sin(),
        "s.sum()": lambda: s.sum(),
        "p * t (recorded)": lambda: p * t,
    }
    print(f"\n{name} host time per call from Python (us):")
    for label, fn in rows.items():
        print(f"  {host_us(lib, fn, iters=3000):7.2f}  {label}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    for name, lib in (("libtensor", lt), ("torch", torch)):
        host_breakdown(lib, name)
        x = lib.randn(8192, 8192, device="cuda")
        target = lib.randint(0, 8192, (8192,), device="cuda")
        # (label, a factory of the function to time, steps, rows shown)
        runs = [(f"{name} cross_entropy 8192x8192", lambda: lambda: lib.nn.functional.cross_entropy(x, target), 10, 12)]
        for autocast in (False, True):
            label = f"{name} GPT step batch {args.batch} " + ("bf16 autocast" if autocast else "float32")
            runs.append((label, lambda a=autocast: gpt_step(lib, args.batch, a), 3, args.top))
        for label, make, steps, top in runs:
            try:
                measure(lib, label, make(), steps, top)
            except Exception as e:  # keep the other rows
                print(f"\n{label}: failed: {type(e).__name__}: {e}")
        del x


if __name__ == "__main__":
    main()
