#!/usr/bin/python3
"""Checks PyTorch (CPU) against numpy's ULP validation data for transcendental functions.

numpy ships, for each of its transcendental ufuncs, a CSV of
`dtype,input_hex,output_hex,ulperrortol` rows (outputs correctly rounded from a
higher-precision library). For every (function, dtype) group of the functions that
libtensor also has, this script evaluates the torch function on the inputs and reports
whether every row is within its ULP tolerance (numpy.testing.assert_array_max_ulp
semantics: sign-magnitude integer distance, +0 == -0, every NaN equal to every NaN).

Each group is evaluated in three layouts so that both the vectorized and the scalar
kernels are exercised:
  small    the rows as one contiguous tensor (length = number of rows);
  tiled    the rows repeated to a multiple of 64 of at least 4096 elements (contiguous,
           large enough that the vectorized inner loop handles nearly every element);
  strided  the tiled tensor seen through a stride-2 view (non-contiguous path).

Usage: /usr/bin/python3 scripts/ulp_pytorch_groups.py [--data DIR] [--markdown]
"""
import argparse
import os
import sys

import numpy as np
import torch

DATA_DIR = "/usr/lib/python3/dist-packages/numpy/core/tests/data"

# numpy file name -> torch function name (libtensor uses the same names as torch).
FUNCTIONS = [
    ("exp", "exp"), ("exp2", "exp2"), ("expm1", "expm1"),
    ("log", "log"), ("log2", "log2"), ("log10", "log10"), ("log1p", "log1p"),
    ("sin", "sin"), ("cos", "cos"), ("tan", "tan"),
    ("arcsin", "asin"), ("arccos", "acos"), ("arctan", "atan"),
    ("sinh", "sinh"), ("cosh", "cosh"), ("tanh", "tanh"), ("arcsinh", "asinh"),
    ("arccosh", "acosh"), ("arctanh", "atanh"),
]
DTYPES = {"np.float32": (np.float32, np.uint32, torch.float32, 32),
          "np.float64": (np.float64, np.uint64, torch.float64, 64)}


def read_groups(path):
    groups = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#$" or line.startswith("dtype"):
                continue
            dt, xin, xout, tol = line.split(",")
            groups.setdefault(dt, []).append((int(xin, 16), int(xout, 16), int(tol)))
    return groups


def ordered(bits, width):
    """Sign-magnitude bits -> integers in float order (numpy's integer_repr), as Python ints
    (no overflow), with every NaN mapped to the canonical quiet NaN like nulp_diff."""
    bits = [int(b) for b in bits]
    sign = 1 << (width - 1)
    exp_mask = ((1 << (11 if width == 64 else 8)) - 1) << (52 if width == 64 else 23)
    frac_mask = (1 << (52 if width == 64 else 23)) - 1
    qnan = exp_mask | (1 << (51 if width == 64 else 22))
    out = []
    for b in bits:
        if (b & exp_mask) == exp_mask and (b & frac_mask):
            b = qnan  # NaN of either sign -> +qNaN
        out.append(-(b & ~sign) if b & sign else b)
    return out


def ulp_diff(got_bits, want_bits, width):
    g, w = ordered(got_bits, width), ordered(want_bits, width)
    return [abs(a - b) for a, b in zip(g, w)]


def run_layout(fn, x, layout):
    n = x.numel()
    if layout == "small":
        return fn(x), np.arange(n)
    reps = max(4096, n)
    reps = (reps + 63) // 64 * 64
    idx = np.arange(reps) % n
    t = x[torch.from_numpy(idx)].contiguous()
    if layout == "tiled":
        return fn(t), idx
    # strided: interleave with junk and take every other element.
    buf = torch.empty(2 * reps, dtype=x.dtype)
    buf[1::2] = 7.0
    buf[0::2] = t
    v = buf[0::2]
    assert not v.is_contiguous()
    return fn(v), idx


def check_group(tname, dt, rows):
    npdt, npint, tdt, width = DTYPES[dt]
    xin = np.array([r[0] for r in rows], dtype=npint).view(npdt)
    want = np.array([r[1] for r in rows], dtype=npint)
    tol = np.array([r[2] for r in rows])
    fn = getattr(torch, tname)
    x = torch.from_numpy(xin.copy())
    result = {}
    for layout in ("small", "tiled", "strided"):
        y, idx = run_layout(fn, x, layout)
        got = y.contiguous().numpy().view(npint)
        d = np.array(ulp_diff(got, want[idx], width), dtype=object)
        bad = [i for i in range(len(idx)) if d[i] > tol[idx[i]]]
        worst = max(range(len(idx)), key=lambda i: d[i] - tol[idx[i]])
        result[layout] = (not bad, int(max(d)), len({int(idx[i]) for i in bad}), int(idx[worst]),
                          int(got[worst]))
    return result, tol.max()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DATA_DIR)
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = ap.parse_args()
    torch.set_num_threads(1)

    rows_out = []
    for npname, tname in FUNCTIONS:
        groups = read_groups(os.path.join(args.data, f"umath-validation-set-{npname}.csv"))
        for dt in ("np.float32", "np.float64"):
            if dt not in groups:
                continue
            res, tol = check_group(tname, dt, groups[dt])
            ok = all(r[0] for r in res.values())
            rows_out.append((tname, dt[3:], len(groups[dt]), tol, res, ok, groups[dt]))

    print(f"torch {torch.__version__}, numpy {np.__version__}, "
          f"CPU capability: {torch.__config__.show().split('CPU capability usage: ')[1].split()[0]}")
    if args.markdown:
        print("| function | dtype | rows | tol (ulp) | max ulp small / tiled / strided | PyTorch |")
        print("|---|---|---|---|---|---|")
    for tname, dt, n, tol, res, ok, rows in rows_out:
        maxes = " / ".join(str(res[k][1]) for k in ("small", "tiled", "strided"))
        if args.markdown:
            print(f"| {tname} | {dt} | {n} | {tol} | {maxes} | {'pass' if ok else 'FAIL'} |")
        else:
            line = f"{tname:6s} {dt:8s} rows={n:4d} tol={tol} max_ulp(small/tiled/strided)={maxes:>24s}  " \
                   f"{'PASS' if ok else 'FAIL'}"
            if not ok:
                fails = []
                for k in ("small", "tiled", "strided"):
                    r = res[k]
                    if not r[0]:
                        xin, xout, _ = rows[r[3]]
                        fails.append(f"{k}: {r[2]} rows, worst in=0x{xin:x} want=0x{xout:x} got=0x{r[4]:x}")
                line += "  (" + "; ".join(fails) + ")"
            print(line)
    passing = [f"{t}/{d}" for t, d, *_rest, ok, _r in rows_out if ok]
    print("\nPyTorch passes:", " ".join(passing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
