#!/usr/bin/env python3
"""Optimizer steps beside PyTorch in one run: the parameters of an MLP (784-512-512-10)
and of a small GPT (4 layers, d=128: 52 tensors), float32, gradients set once. libtensor
is timed with its fused step (one kernel call per group) and with the per-tensor
composition (foreach=False); PyTorch 1.13 with its default (per-tensor) step. Writes the
table into benchmarks/README.md between the OPTIM markers.

Usage: PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_optim.py
"""
import json

import report  # same directory

MODELS = {
    "MLP 784-512-512-10 (6 tensors, 0.67M)": [(512, 784), (512,), (512, 512), (512,), (10, 512), (10,)],
    "GPT 4 layers d=128 (52 tensors, 0.8M)": [(65, 128), (64, 128)] + [
        s for _ in range(4) for s in [(128,), (128,), (384, 128), (384,), (128, 128), (128,), (128,), (128,),
                                      (512, 128), (512,), (128, 512), (128,)]] + [(128,), (128,)],
}
OPTIMIZERS = {
    "SGD momentum": lambda optim, params, **k: optim.SGD(params, lr=0.01, momentum=0.9, **k),
    "AdamW": lambda optim, params, **k: optim.AdamW(params, lr=1e-3, **k),
}


def child(module_name):
    lib = report.load(module_name)
    timings = {}
    variants = [("per-tensor", {"foreach": False})] + ([("fused", {})] if module_name == "libtensor" else [])
    for model, shapes in MODELS.items():
        for opt_name, make in OPTIMIZERS.items():
            for variant, kwargs in variants:
                params = [lib.randn(*s).requires_grad_() for s in shapes]
                for p in params:
                    p.grad = lib.randn(*p.shape) * 1e-3
                opt = make(lib.optim, params, **kwargs)
                timings[f"{model}|{opt_name}|{variant}"] = report.best(opt.step, number=20)
    print(json.dumps(timings))


def main():
    mine, ref = report.timings_of(__file__, "libtensor"), report.timings_of(__file__, "torch")
    lines = report.header("float32, one optimizer.step() over every parameter, best of 7 runs of 20 steps, from "
                          "Python. Ratio = PyTorch's time / libtensor's (fused step).",
                          ["parameters", "optimizer", "libtensor fused ms", "libtensor per-tensor ms", "PyTorch ms",
                           "ratio"])
    for model in MODELS:
        for opt_name in OPTIMIZERS:
            key = f"{model}|{opt_name}"
            fused, loop, theirs = mine[key + "|fused"], mine[key + "|per-tensor"], ref[key + "|per-tensor"]
            lines.append(f"| {model} | {opt_name} | {fused * 1e3:.3f} | {loop * 1e3:.3f} | {theirs * 1e3:.3f} | "
                         f"{theirs / fused:.2f} |")
    table = "\n".join(lines)
    print(table)
    report.write_section("OPTIM", table)


if __name__ == "__main__":
    report.run(child, main)
