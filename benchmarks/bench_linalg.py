#!/usr/bin/env python3
"""lt.linalg beside PyTorch (LAPACK through OpenBLAS) and numpy (the same LAPACK) in the same
run: factorizations and solves of one large matrix and of batches of small ones, float64
and float32. Writes the table into benchmarks/README.md between the LINALG markers.

Each library is timed in a child process that imports only it (benchmarks/report.py).

Usage: PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_linalg.py
"""
import datetime
import json
import platform
import timeit

import numpy as np

import report  # same directory

CASES = [  # (name, batch shape, n, dtype)
    ("512² float64", (), 512, "float64"),
    ("512² float32", (), 512, "float32"),
    ("256 × 16² float64", (256,), 16, "float64"),
    ("64 × 64² float32", (64,), 64, "float32"),
]


def best_ms(fn):
    fn()
    number = max(1, int(0.2 / max(timeit.timeit(fn, number=1), 1e-6)))
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e3


def inputs(batch, n, dtype):
    """A well-conditioned A, a symmetric positive-definite S and 8 right-hand sides, as numpy."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((*batch, n, n)).astype(dtype) + n * np.eye(n, dtype=dtype)
    x = rng.standard_normal((*batch, n, n)).astype(dtype)
    s = x @ np.swapaxes(x, -1, -2) + n * np.eye(n, dtype=dtype)
    b = rng.standard_normal((*batch, n, 8)).astype(dtype)
    return a, s, b


def workloads(mod, a, s, b):
    if mod is np:
        la = np.linalg
        return {"solve": lambda: la.solve(a, b), "inv": lambda: la.inv(a), "det": lambda: la.det(a),
                "cholesky": lambda: la.cholesky(s), "eigh": lambda: la.eigh(s), "eigvalsh": lambda: la.eigvalsh(s)}
    A, S, B = (mod.from_numpy(x) for x in (a, s, b))
    la = mod.linalg
    return {"solve": lambda: la.solve(A, B), "inv": lambda: la.inv(A), "det": lambda: la.det(A),
            "cholesky": lambda: la.cholesky(S), "eigh": lambda: la.eigh(S), "eigvalsh": lambda: la.eigvalsh(S),
            "lu_factor": lambda: la.lu_factor(A)}


def child(module_name):
    mod = np if module_name == "numpy" else report.load(module_name)
    timings = {}
    for case, batch, n, dtype in CASES:
        for op, fn in workloads(mod, *inputs(batch, n, dtype)).items():
            timings[f"{op} {case}"] = best_ms(fn)
    print(json.dumps(timings))


def main():
    import torch

    mine, ref = report.timings_of(__file__, "libtensor"), report.timings_of(__file__, "torch")
    npy = report.timings_of(__file__, "numpy")
    lines = [f"Machine: {report.machine()}; Python {platform.python_version()}, numpy {np.__version__} "
             f"(OpenBLAS), PyTorch {torch.__version__}; {datetime.date.today()}.",
             "Milliseconds per call, best of 5 runs. Ratio = the other library's time / libtensor's.",
             "",
             "| workload | libtensor ms | PyTorch ms | numpy ms | vs PyTorch | vs numpy |",
             "|---|---|---|---|---|---|"]
    for name, ms in mine.items():
        np_ms = npy.get(name)  # numpy has no lu_factor
        np_col, np_ratio = (f"{np_ms:.3f}", f"{np_ms / ms:.2f}") if np_ms is not None else ("-", "-")
        lines.append(f"| {name} | {ms:.3f} | {ref[name]:.3f} | {np_col} | {ref[name] / ms:.2f} | {np_ratio} |")
    table = "\n".join(lines)
    print(table)
    report.write_section("LINALG", table)


if __name__ == "__main__":
    report.run(child, main)
