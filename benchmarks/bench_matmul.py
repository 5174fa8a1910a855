#!/usr/bin/env python3
"""Matrix products beside numpy (OpenBLAS) and PyTorch, in one run: GFLOP/s of float32
and float64 products of the sizes models use. Writes the table into
benchmarks/README.md between the MATMUL markers.

Each library is timed in a child process that imports only it (see bench_python.py).

Usage: PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_matmul.py
"""
import datetime
import importlib
import json
import os
import timeit

import numpy as np

import report  # same directory

# name: (batch, n, k, m, dtype, transpose the right operand, calls per timing)
WORKLOADS = {
    "mm 1024² float32": (0, 1024, 1024, 1024, "float32", False, 3),
    "mm 2048² float32": (0, 2048, 2048, 2048, "float32", False, 1),
    "mm 1024² float32, b transposed": (0, 1024, 1024, 1024, "float32", True, 3),
    "bmm 64 × 64×64 float32": (64, 64, 64, 64, "float32", False, 50),
    "bmm 64 × 16×16 float32": (64, 16, 16, 16, "float32", False, 500),
    "bmm 16 × 128×128 float32": (16, 128, 128, 128, "float32", False, 20),
    "mm 1024² float64": (0, 1024, 1024, 1024, "float64", False, 2),
}
# name: (minimum ratio, against which library, why)
TARGETS = {
    "mm 1024² float32": (0.9, "numpy", "issue 5: at least 90% of numpy's speed"),
    "mm 2048² float32": (0.9, "numpy", "issue 5: at least 90% of numpy's speed"),
    "bmm 64 × 64×64 float32": (1.0, "torch", "issue 5: at least PyTorch's speed"),
}


def operands(mod, batch, n, k, m, dtype, transposed):
    rng = np.random.default_rng(0)
    shape_a = (batch, n, k) if batch else (n, k)
    shape_b = (batch, m, k) if transposed else (batch, k, m)
    if not batch:
        shape_b = shape_b[1:]
    a = rng.standard_normal(shape_a).astype(dtype)
    b = rng.standard_normal(shape_b).astype(dtype)
    if mod is np:
        return a, (b.swapaxes(-1, -2) if transposed else b)
    ta, tb = mod.from_numpy(a), mod.from_numpy(b)
    return ta, (tb.transpose(-1, -2) if transposed else tb)


def child(module_name):
    """Prints {workload: seconds per call} for one library as JSON."""
    mod = np if module_name == "numpy" else importlib.import_module(module_name)
    if module_name == "torch":
        mod.set_num_threads(os.cpu_count())
    timings = {}
    for name, (batch, n, k, m, dtype, transposed, number) in WORKLOADS.items():
        a, b = operands(mod, batch, n, k, m, dtype, transposed)
        fn = (lambda: np.matmul(a, b)) if mod is np else (lambda: mod.matmul(a, b))
        fn()
        timings[name] = min(timeit.repeat(fn, number=number, repeat=7)) / number
    print(json.dumps(timings))



def main():
    import torch

    seconds = {lib: report.timings_of(__file__, lib) for lib in ("libtensor", "numpy", "torch")}
    lines = [f"Machine: {report.machine()}; "
             f"numpy {np.__version__} (OpenBLAS), PyTorch {torch.__version__}; {datetime.date.today()}.",
             "GFLOP/s (2·n·k·m per product), best of 7 runs, from Python. Ratio = libtensor's speed / the "
             "other's.",
             "",
             "| workload | libtensor GFLOP/s | numpy GFLOP/s | PyTorch GFLOP/s | vs numpy | vs PyTorch | target |",
             "|---|---|---|---|---|---|---|"]
    for name, (batch, n, k, m, *_rest) in WORKLOADS.items():
        flops = 2.0 * max(batch, 1) * n * k * m
        rate = {lib: flops / seconds[lib][name] / 1e9 for lib in seconds}
        vs_np, vs_torch = rate["libtensor"] / rate["numpy"], rate["libtensor"] / rate["torch"]
        target = ""
        if name in TARGETS:
            minimum, against, why = TARGETS[name]
            ratio = vs_np if against == "numpy" else vs_torch
            target = f"≥ {minimum:g} vs {against} ({why}): {'met' if ratio >= minimum else 'NOT met'}"
        lines.append(f"| {name} | {rate['libtensor']:.1f} | {rate['numpy']:.1f} | {rate['torch']:.1f} | "
                     f"{vs_np:.2f} | {vs_torch:.2f} | {target} |")
    table = "\n".join(lines)
    print(table)
    report.write_section("MATMUL", table)


if __name__ == "__main__":
    report.run(child, main)
