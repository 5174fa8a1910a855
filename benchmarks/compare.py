#!/usr/bin/env python3
"""Runs libtensor's bench_ops and bench_autograd, numpy and PyTorch (Python, and its C++
API when bench_autograd_torch was built) on the same workloads in one run and writes
the tables into benchmarks/README.md (between the BEGIN/END markers).

Usage: /usr/bin/python3 benchmarks/compare.py BUILD_DIR
"""
import datetime
import json
import os
import platform
import subprocess
import sys
import timeit

import numpy as np
import torch

from report import cpu_name, replace_between  # same directory

N = 16 << 20
THREADS = os.cpu_count()
torch.set_num_threads(THREADS)


def best_ms(fn, repeat=15):
    fn()
    return min(timeit.repeat(fn, number=1, repeat=repeat)) * 1e3


def numpy_and_torch():
    rng = np.random.default_rng(0)
    a = rng.random(N, dtype=np.float32)
    b = rng.random(N, dtype=np.float32)
    out = np.empty_like(a)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    return {
        "memcpy": {"numpy": best_ms(lambda: np.copyto(out, a))},
        "add": {"numpy": best_ms(lambda: np.add(a, b, out=out)), "numpy (fresh output)": best_ms(lambda: np.add(a, b)),
                "torch": best_ms(lambda: torch.add(ta, tb))},
        "exp": {"numpy": best_ms(lambda: np.exp(a)), "torch": best_ms(lambda: torch.exp(ta))},
        "tanh": {"numpy": best_ms(lambda: np.tanh(a)), "torch": best_ms(lambda: torch.tanh(ta))},
        "sigmoid": {"torch": best_ms(lambda: torch.sigmoid(ta))},
        "erf": {"torch": best_ms(lambda: torch.erf(ta))},
        "sum": {"numpy": best_ms(lambda: a.sum()), "torch": best_ms(lambda: ta.sum())},
    }


def google_benchmark(build_dir, name, key=lambda b: b["run_name"].removeprefix("BM_").split("/")[0]):
    """The best of 7 repetitions of each benchmark of a Google Benchmark executable (best
    of, as for numpy and PyTorch): {name: the run's JSON record}."""
    exe = os.path.join(build_dir, "benchmarks", name)
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS))
    out = subprocess.run([exe, "--benchmark_format=json", "--benchmark_repetitions=7"], env=env, check=True,
                         capture_output=True, text=True).stdout
    result = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        k = key(b)
        if k not in result or b["real_time"] < result[k]["real_time"]:
            result[k] = b
    return result


def libtensor(build_dir):
    return {k: b["real_time"] for k, b in google_benchmark(build_dir, "bench_ops").items()}


def autograd_python():
    """The autograd workloads of bench_autograd, in PyTorch's Python API (microseconds)."""
    a = torch.full((1,), 0.5, requires_grad=True)
    b = torch.full((1,), -1.5, requires_grad=True)

    def small():
        torch.tanh(a * b + a).backward()

    def no_grad():
        with torch.no_grad():
            torch.tanh(a * b + a)

    def per_us(fn, number):
        fn()
        return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e6

    x = torch.full((1,), 1.0, requires_grad=True)
    chain_backward = []
    for _ in range(30):
        y = x
        for _ in range(1000):
            y = y * 1.0
        start = timeit.default_timer()
        y.backward()
        chain_backward.append(timeit.default_timer() - start)
    return {"small_forward_backward": per_us(small, 20000), "small_forward_no_grad": per_us(no_grad, 20000),
            "backward_per_node": min(chain_backward) / 1000 * 1e6}


def autograd_table(build_dir):
    by_name = lambda b: b["run_name"].removeprefix("BM_").removeprefix("torch_")
    ours = google_benchmark(build_dir, "bench_autograd", by_name)
    torch_cpp_exe = os.path.join(build_dir, "benchmarks", "bench_autograd_torch")
    theirs = google_benchmark(build_dir, "bench_autograd_torch", by_name) if os.path.exists(torch_cpp_exe) else {}
    python = autograd_python()

    def us(results, name):
        if name not in results:
            return None
        b = results[name]
        return b["per_node_ns"] * 1e6 if "per_node_ns" in b else b["real_time"]  # the counter is s/node

    rows = [("small_forward_backward", "small_forward_backward", "tanh(a * b + a) forward + backward, 1 element"),
            ("small_forward_no_grad", "small_forward_no_grad", "the same forward in no-grad mode"),
            ("backward_per_node/1000", "backward_per_node", "backward through a 1000-multiplication chain, per node")]
    fmt = lambda v: "n/a" if v is None else f"{v:.2f}"
    lines = ["| workload | libtensor C++ µs | PyTorch C++ µs | PyTorch Python µs | PyTorch C++ / libtensor "
             "| PyTorch Python / libtensor | target |",
             "|---|---|---|---|---|---|---|"]
    for name, py_name, what in rows:
        mine, cpp, py = us(ours, name), us(theirs, name), python[py_name]
        target = ""
        if name == "small_forward_backward":
            target = f"≥ 3 (a third of PyTorch's time): {'met from C++' if py / mine >= 3 else 'NOT met'}"
        cpp_ratio = "n/a" if cpp is None else f"{cpp / mine:.2f}"
        lines.append(f"| {what} | {fmt(mine)} | {fmt(cpp)} | {fmt(py)} | {cpp_ratio} | {py / mine:.2f} | {target} |")
    for name, mode in [("record_per_node/1000/1", "with grad"), ("record_per_node/1000/0", "in no-grad mode")]:
        lines.append(f"| forward of that chain {mode}, per operation | {fmt(us(ours, name))} | | | | | |")
    return "\n".join(lines)


# Bytes each workload moves per element (read + write).
BYTES = {"memcpy": 8, "add": 12, "exp": 8, "tanh": 8, "sigmoid": 8, "erf": 8, "sum": 4}
# What each target compares against, as in issue 2.
TARGETS = {"add": ("numpy", 0.8), "exp": ("numpy", 1.0), "sum": ("numpy", 1.0),
           "tanh": ("torch", 1.0), "sigmoid": ("torch", 1.0), "erf": ("torch", 1.0)}


def main():
    build_dir = sys.argv[1] if len(sys.argv) > 1 else "build-bench"
    lt_ms = libtensor(build_dir)
    ref = numpy_and_torch()
    gbs = lambda ms, op: BYTES[op] * N / (ms * 1e-3) / 1e9
    lines = [f"Machine: {cpu_name()}, {THREADS} cores, {platform.system()} {platform.release()}; "
             f"numpy {np.__version__}, PyTorch {torch.__version__}; {datetime.date.today()}.",
             f"float32, {N // (1 << 20)}M elements, best of repeated runs, {THREADS} threads for libtensor and PyTorch "
             "(numpy is single-threaded). Ratio = reference time / libtensor time (above 1: libtensor is faster).", "",
             "| workload | libtensor ms | libtensor GB/s | reference | reference ms | ratio | target |",
             "|---|---|---|---|---|---|---|"]
    for op in ["memcpy", "add", "exp", "sum", "tanh", "sigmoid", "erf"]:
        for ref_name, ref_ms in ref[op].items():
            target = ""
            if op in TARGETS and TARGETS[op][0] == ref_name:
                need = TARGETS[op][1]
                ratio = ref_ms / lt_ms[op]
                target = f"≥ {need:.1f}: {'met' if ratio >= need else 'NOT met'}"
            lines.append(f"| {op} | {lt_ms[op]:.2f} | {gbs(lt_ms[op], op):.1f} | {ref_name} | {ref_ms:.2f} | "
                         f"{ref_ms / lt_ms[op]:.2f} | {target} |")
    table = "\n".join(lines)
    print(table)
    autograd = "\n".join([lines[0], "", autograd_table(build_dir)])
    print(autograd)
    readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
    text = open(readme).read()
    text = replace_between(text, "<!-- BEGIN RESULTS -->", "<!-- END RESULTS -->", table)
    text = replace_between(text, "<!-- BEGIN AUTOGRAD -->", "<!-- END AUTOGRAD -->", autograd)
    open(readme, "w").write(text)


if __name__ == "__main__":
    main()
