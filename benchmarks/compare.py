#!/usr/bin/env python3
"""Runs libtensor's bench_ops, numpy and PyTorch on the same workloads in one run and
writes the table into benchmarks/README.md (between the BEGIN/END markers).

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


def libtensor(build_dir):
    exe = os.path.join(build_dir, "benchmarks", "bench_ops")
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS))
    out = subprocess.run([exe, "--benchmark_format=json", "--benchmark_repetitions=5",
                          "--benchmark_report_aggregates_only=true"], env=env, check=True,
                         capture_output=True, text=True).stdout
    result = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            result[b["run_name"].removeprefix("BM_").split("/")[0]] = b["real_time"]
    return result


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
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [f"Machine: {cpu}, {THREADS} cores, {platform.system()} {platform.release()}; "
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
    readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
    text = open(readme).read()
    begin, end = "<!-- BEGIN RESULTS -->", "<!-- END RESULTS -->"
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    open(readme, "w").write(f"{head}{begin}\n{table}\n{end}{tail}")


if __name__ == "__main__":
    main()
