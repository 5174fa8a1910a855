#!/usr/bin/env python3
"""Fused neural-network operators (softmax, log_softmax, layer_norm) beside PyTorch, in one run.
Writes the table into benchmarks/README.md between the NN markers.

Each library is timed in a child process that imports only it (see bench_python.py).

Usage: PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_nn.py
"""
import datetime
import importlib
import json
import os
import timeit

import report  # same directory

# name: (operator, shape, with backward)
WORKLOADS = {
    "softmax, 128 × 512 (in cache), last dim": ("softmax", (128, 512), False),
    "log_softmax, 128 × 512 (in cache), last dim": ("log_softmax", (128, 512), False),
    "softmax, 4096 × 1024, last dim": ("softmax", (4096, 1024), False),
    "log_softmax, 4096 × 1024, last dim": ("log_softmax", (4096, 1024), False),
    "softmax, 64 × 128 × 128 (attention), last dim": ("softmax", (64, 128, 128), False),
    "log_softmax, 256 × 32000 (vocabulary), last dim": ("log_softmax", (256, 32000), False),
    "layer_norm, 128 × 512 (in cache), last dim": ("layer_norm", (128, 512), False),
    "layer_norm, 4096 × 1024, last dim": ("layer_norm", (4096, 1024), False),
    "layer_norm, 16 × 64 × 128 (GPT block), last dim": ("layer_norm", (16 * 64, 128), False),
    "softmax forward + backward, 4096 × 1024": ("softmax", (4096, 1024), True),
    "layer_norm forward + backward, 4096 × 1024": ("layer_norm", (4096, 1024), True),
    "log_softmax forward + backward, 256 × 32000": ("log_softmax", (256, 32000), True),
}
TARGET = 2.0  # issue 5: at least twice PyTorch's throughput (softmax, log_softmax, layer_norm)


def child(module_name):
    """Prints {workload: seconds per call} for one library as JSON."""
    mod = importlib.import_module(module_name)
    if module_name == "torch":
        mod.set_num_threads(os.cpu_count())
    mod.manual_seed(0)
    timings = {}
    for name, (op, shape, backward) in WORKLOADS.items():
        if op == "layer_norm":
            n = shape[-1]
            weight, bias = mod.ones(n, requires_grad=backward), mod.zeros(n, requires_grad=backward)

            def f(x, _dim, _mod=mod, _n=n, _w=weight, _b=bias):
                return _mod.nn.functional.layer_norm(x, (_n,), _w, _b)
        else:
            f = getattr(mod, op)
        if backward:
            x = mod.randn(*shape, requires_grad=True)
            g = mod.randn(*shape)

            def fn():
                f(x, -1).backward(g)
        else:
            x = mod.randn(*shape)

            def fn():
                f(x, -1)
        fn()
        number = 1000 if shape[0] * shape[-1] < 100000 else 10
        timings[name] = min(timeit.repeat(fn, number=number, repeat=9)) / number
    print(json.dumps(timings))



def main():
    import torch

    mine, ref = report.timings_of(__file__, "libtensor"), report.timings_of(__file__, "torch")
    lines = [f"Machine: {report.machine()}; "
             f"PyTorch {torch.__version__}; {datetime.date.today()}.",
             "float32, best of 9 runs, from Python. GB/s counts one read of the input and one write of "
             "the output (forward) plus two reads and a write (backward). Ratio = PyTorch's time / libtensor's.",
             "",
             "| workload | libtensor ms | libtensor GB/s | PyTorch ms | ratio | target |",
             "|---|---|---|---|---|---|"]
    for name, (_op, shape, backward) in WORKLOADS.items():
        elements = 1
        for s in shape:
            elements *= s
        moved = elements * 4 * (5 if backward else 2)
        ratio = ref[name] / mine[name]
        target = f"≥ {TARGET:g} (issue 5): {'met' if ratio >= TARGET else 'NOT met'}" if not backward else ""
        lines.append(f"| {name} | {mine[name] * 1e3:.3f} | {moved / mine[name] / 1e9:.1f} | {ref[name] * 1e3:.3f} | "
                     f"{ratio:.2f} | {target} |")
    table = "\n".join(lines)
    print(table)
    report.write_section("NN", table)


if __name__ == "__main__":
    report.run(child, main)
