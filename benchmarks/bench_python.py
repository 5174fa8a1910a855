#!/usr/bin/env python3
"""The Python call path, beside PyTorch (and numpy) in the same run: small operators,
where the binding, not the arithmetic, is the work. Writes the table into
benchmarks/README.md between the PYTHON markers.

Each library is timed in a child process that imports only it (and numpy): loaded into
one process, the two slow each other down (PyTorch's OpenMP threads spin on after its
calls; whichever library loads second gets the slower dynamic thread-local storage).

Usage: PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_python.py
"""
import datetime
import importlib
import json
import os
import platform
import timeit

import numpy as np

import report  # same directory


def per_call_us(fn, number):
    fn()
    return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e6


def workloads(mod):
    """{name: (callable, iterations)} for `mod` (libtensor or torch)."""
    a, b = mod.ones(1), mod.full((1,), 2.0)
    w = mod.full((1,), 0.5, requires_grad=True)
    x = mod.full((1,), -1.5)
    p, q = mod.full((1,), 0.5, requires_grad=True), mod.full((1,), -1.5, requires_grad=True)
    big = mod.ones(1000, 100)
    idx = mod.tensor([1, 5, 7])

    def fwd_bwd():
        (w * x + x).sum().backward()

    def tanh_fwd_bwd():
        mod.tanh(p * q + p).backward()

    return {
        "a + b": (lambda: a + b, 200000),
        "a * 2.0": (lambda: a * 2.0, 200000),
        "a.sum()": (lambda: a.sum(), 200000),
        "x[1:3] (view)": (lambda: big[1:3], 200000),
        "x[idx] (gather)": (lambda: big[idx], 50000),
        "(w * x + x).sum().backward()": (fwd_bwd, 20000),
        "tanh(a * b + a).backward()": (tanh_fwd_bwd, 20000),
    }


TARGETS = {"a + b": 2.0, "(w * x + x).sum().backward()": 3.0, "tanh(a * b + a).backward()": 3.0}
WHY = {"a + b": "issue 4: at most half of PyTorch's time",
       "(w * x + x).sum().backward()": "issue 4: at most a third",
       "tanh(a * b + a).backward()": "issue 3, from Python: at most a third"}


def child(module_name):
    """Times the workloads of one library and prints {name: µs} as JSON."""
    mod = importlib.import_module(module_name)
    if module_name == "torch":
        mod.set_num_threads(os.cpu_count())
    timings = {name: per_call_us(*w) for name, w in workloads(mod).items()}
    na, nb = np.ones(1, dtype=np.float32), np.full(1, 2.0, dtype=np.float32)
    timings["numpy a + b"] = per_call_us(lambda: na + nb, 200000)
    print(json.dumps(timings))



def main():
    import torch

    mine_us, ref_us = report.timings_of(__file__, "libtensor"), report.timings_of(__file__, "torch")
    numpy_add = min(mine_us.pop("numpy a + b"), ref_us.pop("numpy a + b"))
    lines = [f"Machine: {report.machine()}; Python "
             f"{platform.python_version()}, numpy {np.__version__}, PyTorch {torch.__version__}; "
             f"{datetime.date.today()}.",
             "One-element float32 tensors unless said; best of 7 runs; µs per call. Ratio = PyTorch / libtensor.",
             "",
             "| workload | libtensor µs | PyTorch µs | ratio | numpy µs | target |",
             "|---|---|---|---|---|---|"]
    for name in mine_us:
        mine, ref = mine_us[name], ref_us[name]
        ratio = ref / mine
        target = ""
        if name in TARGETS:
            target = f"≥ {TARGETS[name]:g} ({WHY[name]}): {'met' if ratio >= TARGETS[name] else 'NOT met'}"
        np_col = f"{numpy_add:.3f}" if name == "a + b" else ""
        lines.append(f"| `{name}` | {mine:.3f} | {ref:.3f} | {ratio:.2f} | {np_col} | {target} |")
    table = "\n".join(lines)
    print(table)
    report.write_section("PYTHON", table)


if __name__ == "__main__":
    report.run(child, main)
