#!/usr/bin/python3
"""Reference values for test_autograd_parity.cpp, computed with PyTorch.

For every case: the inputs (float64, shape + row-major values), the forward output, a
random `upstream` tensor, and torch's gradients of (out * upstream).sum() with respect to
each input that requires grad. The C++ test runs the same operator, named by the case,
with libtensor. Scalar parameters live here only and the C++ side reads them from the
JSON, so the two sides cannot disagree about them.

Non-finite numbers are written as the strings "nan", "inf" and "-inf" because JSON has
no literal for them.

Run with Debian's /usr/bin/python3 (it has torch): autograd_parity.py --out PATH
"""
import argparse
import json
import math

import numpy as np
import torch

rng = np.random.default_rng(20240611)
CASES = []


def U(shape, lo=-3.0, hi=3.0):
    return rng.uniform(lo, hi, shape)


def away_from_zero(shape, lo=0.3, hi=3.0):
    """Values whose magnitude is in [lo, hi], with random signs: safe divisors."""
    return U(shape, lo, hi) * rng.choice([-1.0, 1.0], shape)


def with_points(a, points):
    """`a` with its first elements replaced by `points` (special values)."""
    a = np.array(a, dtype=np.float64)
    flat = a.reshape(-1)
    flat[: len(points)] = points
    return a


def case(name, fn, inputs, params=None, nograd=(), rtol=1e-10, atol=1e-12):
    """fn(t, p) -> output, where t maps input names to torch leaves, p is `params`."""
    params = params or {}
    leaves = {}
    for k, v in inputs.items():
        leaves[k] = torch.tensor(np.asarray(v, dtype=np.float64), dtype=torch.float64,
                                 requires_grad=k not in nograd)
    out = fn(leaves, params)
    assert out.dtype == torch.float64, name
    upstream = torch.tensor(U(tuple(out.shape)), dtype=torch.float64)
    (out * upstream).sum().backward()
    CASES.append({
        "name": name,
        "params": params,
        "inputs": {k: {**enc(t), "requires_grad": t.requires_grad} for k, t in leaves.items()},
        "upstream": enc(upstream),
        "output": enc(out),
        "grads": {k: (enc(t.grad) if t.grad is not None else None)
                  for k, t in leaves.items() if t.requires_grad},
        "rtol": rtol,
        "atol": atol,
    })


def enc(t):
    def num(v):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "values": [num(v) for v in t.reshape(-1).tolist()]}


def py_slice(x, dim, start, end, step):
    """x[..., start:end:step] along dim with Python semantics (torch has no negative steps)."""
    idx = list(range(x.shape[dim]))[start:end:step]
    return x.index_select(dim, torch.tensor(idx, dtype=torch.long))


# --- unary --------------------------------------------------------------------------
ZEROS = [0.0, -0.0, 0.0]
HALVES = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5]  # round() ties go to even
unary_domains = {
    "neg": U((3, 4)), "abs": with_points(U((3, 4)), ZEROS), "sign": with_points(U((3, 4)), ZEROS),
    "exp": U((3, 4)), "exp2": U((3, 4)), "expm1": U((3, 4)),
    "log": U((3, 4), 0.1, 5), "log2": U((3, 4), 0.1, 5), "log10": U((3, 4), 0.1, 5),
    "log1p": U((3, 4), -0.5, 3), "sqrt": U((3, 4), 0.1, 5), "rsqrt": U((3, 4), 0.1, 5),
    "reciprocal": away_from_zero((3, 4)),
    "sin": U((3, 4)), "cos": U((3, 4)), "tan": U((3, 4), -1.2, 1.2),
    "asin": U((3, 4), -0.9, 0.9), "acos": U((3, 4), -0.9, 0.9), "atan": U((3, 4)),
    "sinh": U((3, 4)), "cosh": U((3, 4)), "tanh": U((3, 4)), "asinh": U((3, 4)),
    "acosh": U((3, 4), 1.1, 5), "atanh": U((3, 4), -0.9, 0.9),
    "erf": U((3, 4)), "erfc": U((3, 4)), "sigmoid": U((3, 4), -5, 5),
    "relu": with_points(U((3, 4)), ZEROS),
    "floor": with_points(U((3, 4), -5, 5), HALVES), "ceil": with_points(U((3, 4), -5, 5), HALVES),
    "round": with_points(U((3, 4), -5, 5), HALVES), "trunc": with_points(U((3, 4), -5, 5), HALVES),
    "frac": with_points(U((3, 4), -5, 5), HALVES), "square": with_points(U((3, 4)), ZEROS),
    "nan_to_num": with_points(U((3, 4)), [math.nan, math.inf, -math.inf]),
}
for op, x in unary_domains.items():
    case(f"unary_{op}", lambda t, p, op=op: getattr(torch, op)(t["x"]), {"x": x})
# At the edge of the domain the derivatives are infinite; PyTorch gives +-inf, not NaN.
for op in ["sqrt", "rsqrt", "log", "reciprocal"]:
    case(f"unary_{op}_at_zero", lambda t, p, op=op: getattr(torch, op)(t["x"]),
         {"x": with_points(U((2, 3), 0.1, 5), [0.0, 0.0])})

# --- binary -------------------------------------------------------------------------
a34, b4 = U((3, 4)), U((4,))
case("add_alpha", lambda t, p: torch.add(t["a"], t["b"], alpha=p["alpha"]),
     {"a": a34, "b": b4}, {"alpha": 2.5})
case("add_bcast3", lambda t, p: torch.add(t["a"], t["b"]), {"a": U((2, 1, 3)), "b": U((4, 1))})
case("sub_alpha", lambda t, p: torch.sub(t["a"], t["b"], alpha=p["alpha"]),
     {"a": U((3, 4)), "b": U((4,))}, {"alpha": 2.5})
case("sub_bcast3_alpha", lambda t, p: torch.sub(t["a"], t["b"], alpha=p["alpha"]),
     {"a": U((2, 1, 3)), "b": U((4, 1))}, {"alpha": -0.5})
case("mul", lambda t, p: t["a"] * t["b"], {"a": U((3, 4)), "b": U((4,))})
case("mul_bcast3", lambda t, p: t["a"] * t["b"], {"a": U((2, 1, 3)), "b": U((4, 1))})
case("mul_same_input", lambda t, p: t["a"] * t["a"], {"a": U((3, 4))})
for mode in ["", "floor", "trunc"]:
    case(f"div{'_' + mode if mode else ''}",
         lambda t, p: torch.div(t["a"], t["b"], rounding_mode=p["rounding_mode"] or None),
         {"a": U((3, 4)), "b": away_from_zero((4,))}, {"rounding_mode": mode})
case("div_bcast3", lambda t, p: t["a"] / t["b"], {"a": U((2, 1, 3)), "b": away_from_zero((4, 1))})
case("remainder", lambda t, p: torch.remainder(t["a"], t["b"]), {"a": U((3, 4), -5, 5), "b": away_from_zero((4,))})
case("fmod", lambda t, p: torch.fmod(t["a"], t["b"]), {"a": U((3, 4), -5, 5), "b": away_from_zero((4,))})
case("atan2", lambda t, p: torch.atan2(t["a"], t["b"]), {"a": U((2, 1, 3)), "b": U((4, 1))})
tie_b = U((4,))
tie_a = U((3, 4))
tie_a[0, :2] = tie_b[:2]
tie_a[2, 3] = tie_b[3]
case("maximum_ties", lambda t, p: torch.maximum(t["a"], t["b"]), {"a": tie_a, "b": tie_b})
case("minimum_ties", lambda t, p: torch.minimum(t["a"], t["b"]), {"a": tie_a, "b": tie_b})
case("maximum_bcast3", lambda t, p: torch.maximum(t["a"], t["b"]), {"a": U((2, 1, 3)), "b": U((4, 1))})
case("pow_tensor", lambda t, p: torch.pow(t["a"], t["b"]), {"a": U((3, 4), 0.2, 3), "b": U((4,), -2, 2)})
# Base 0: d/dbase is 0 where the exponent is 0 (else exponent * 0^(exponent-1), inf below
# 1) and d/dexponent is 0 (PyTorch masks the log(0)).
case("pow_zero_base", lambda t, p: torch.pow(t["a"], t["b"]),
     {"a": with_points(U((2, 5), 0.2, 3), [0.0] * 5), "b": [[0.0, 1.0, 2.0, 0.5, 2.5], [0.0, 1.0, 3.0, 1.5, 0.7]]})
# A negative base with integral exponents: the exponent's gradient y * log(a) is NaN.
case("pow_negative_base", lambda t, p: torch.pow(t["a"], t["b"]),
     {"a": U((2, 3), -3, -0.5), "b": [[2.0, 3.0, -1.0], [0.0, 1.0, 4.0]]})
for label, e in [("2", 2), ("half", 0.5), ("0", 0), ("neg1_5", -1.5), ("3", 3)]:
    positive = isinstance(e, float)  # fractional exponents need a positive base
    x = U((3, 4), 0.2, 3) if positive else with_points(U((3, 4)), ZEROS)
    case(f"pow_scalar_{label}", lambda t, p: torch.pow(t["x"], p["exponent"]), {"x": x}, {"exponent": e})
case("pow_scalar_base", lambda t, p: torch.pow(p["base"], t["x"]), {"x": U((3, 4))}, {"base": 2.5})
case("add_scalar", lambda t, p: torch.add(t["x"], p["other"], alpha=p["alpha"]),
     {"x": U((3, 4))}, {"other": 1.25, "alpha": -2.0})
case("sub_scalar", lambda t, p: t["x"] - p["other"], {"x": U((3, 4))}, {"other": 0.75})
case("mul_scalar", lambda t, p: t["x"] * p["other"], {"x": U((3, 4))}, {"other": -1.5})
case("div_scalar", lambda t, p: t["x"] / p["other"], {"x": U((3, 4))}, {"other": 0.4})
case("div_scalar_floor", lambda t, p: torch.div(t["x"], p["other"], rounding_mode="floor"),
     {"x": U((3, 4))}, {"other": 0.4})
case("remainder_scalar", lambda t, p: t["x"] % p["other"], {"x": U((3, 4), -5, 5)}, {"other": 1.5})
case("fmod_scalar", lambda t, p: torch.fmod(t["x"], p["other"]), {"x": U((3, 4), -5, 5)}, {"other": 1.5})
# torch.maximum takes no Python number: a 0-dim tensor is the same operator.
case("maximum_scalar_ties",
     lambda t, p: torch.maximum(t["x"], torch.tensor(p["other"], dtype=torch.float64)),
     {"x": with_points(U((3, 4)), [0.5, 0.5])}, {"other": 0.5})
# The number on the left: libtensor makes it a 0-dim tensor. torch 1.13 has no
# derivative for remainder(number, tensor), so its reference uses a 0-dim tensor too.
case("rsub_scalar", lambda t, p: p["other"] - t["x"], {"x": U((3, 4))}, {"other": 2.0})
case("rdiv_scalar", lambda t, p: p["other"] / t["x"], {"x": away_from_zero((3, 4))}, {"other": 2.0})
case("rremainder_scalar",
     lambda t, p: torch.remainder(torch.tensor(p["other"], dtype=torch.float64), t["x"]),
     {"x": away_from_zero((3, 4))}, {"other": 2.0})
case("pow_scalar_neg2", lambda t, p: torch.pow(t["x"], p["exponent"]), {"x": away_from_zero((3, 4))}, {"exponent": -2})
case("pow_zero_scalar_base", lambda t, p: torch.pow(p["base"], t["x"]),
     {"x": with_points(U((3, 4), 0, 3), [0.0, 0.0])}, {"base": 0.0})
# Only one operand requires grad: the formula must not need what was not saved.
case("mul_one_requires_grad", lambda t, p: t["a"] * t["b"], {"a": U((3, 4)), "b": U((4,))}, nograd=("b",))
case("div_only_divisor_grad", lambda t, p: t["a"] / t["b"], {"a": U((3, 4)), "b": away_from_zero((4,))},
     nograd=("a",))
case("mul_self_transposed", lambda t, p: t["x"] * t["x"].t(), {"x": U((3, 3))})
case("mul_0d_tensor", lambda t, p: t["a"] * t["s"], {"a": U((3, 4)), "s": np.array(1.7)})
# float32 rounding on the way: gradients are cast back to each input's dtype.
case("mul_mixed_dtype", lambda t, p: t["a"].to(torch.float32) * t["b"], {"a": U((3, 4)), "b": U((4,))},
     rtol=1e-6, atol=1e-6)

# --- ternary ------------------------------------------------------------------------
case("where_bcast", lambda t, p: torch.where(t["c"] > 0, t["a"], t["b"]),
     {"c": [[1.0], [-1.0], [1.0]], "a": U((3, 4)), "b": U((4,))}, nograd=("c",))
case("where_mixed_cond", lambda t, p: torch.where(t["c"] > 0, t["a"], t["b"]),
     {"c": U((3, 4)), "a": U((3, 4)), "b": U((3, 1))}, nograd=("c",))
case("where_scalar_other", lambda t, p: torch.where(t["c"] > 0, t["a"], p["other"]),
     {"c": U((3, 4)), "a": U((3, 4))}, {"other": 0.5}, nograd=("c",))
at_bounds = [-0.5, 0.5, -0.5, 0.5]
case("clamp", lambda t, p: torch.clamp(t["x"], p["min"], p["max"]),
     {"x": with_points(U((3, 4), -1, 1), at_bounds)}, {"min": -0.5, "max": 0.5})
case("clamp_min", lambda t, p: torch.clamp(t["x"], min=p["min"]),
     {"x": with_points(U((3, 4), -1, 1), at_bounds)}, {"min": -0.5})
case("clamp_max", lambda t, p: torch.clamp(t["x"], max=p["max"]),
     {"x": with_points(U((3, 4), -1, 1), at_bounds)}, {"max": 0.5})
case("where_scalar_self", lambda t, p: torch.where(t["c"] > 0, p["other"], t["b"]),
     {"c": U((3, 4)), "b": U((4,))}, {"other": 0.5}, nograd=("c",))
case("nan_to_num_args", lambda t, p: torch.nan_to_num(t["x"], p["nan"], p["posinf"], p["neginf"]),
     {"x": with_points(U((3, 4)), [math.nan, math.inf, -math.inf])}, {"nan": 1.5, "posinf": 2.0, "neginf": -3.0})
case("lerp_tensor", lambda t, p: torch.lerp(t["start"], t["end"], t["weight"]),
     {"start": U((3, 4)), "end": U((4,)), "weight": U((3, 1), 0, 1)})
case("lerp_scalar", lambda t, p: torch.lerp(t["start"], t["end"], p["weight"]),
     {"start": U((3, 4)), "end": U((3, 4))}, {"weight": 0.3})

# --- reductions ---------------------------------------------------------------------
for op in ["sum", "mean"]:
    f = getattr(torch, op)
    case(f"{op}_all", lambda t, p, f=f: f(t["x"]), {"x": U((2, 3, 4))})
    case(f"{op}_dims", lambda t, p, f=f: f(t["x"], p["dims"]), {"x": U((2, 3, 4))}, {"dims": [0, 2]})
    case(f"{op}_keepdim", lambda t, p, f=f: f(t["x"], p["dims"], keepdim=True),
         {"x": U((2, 3, 4))}, {"dims": [-1, 0]})
case("prod_all", lambda t, p: torch.prod(t["x"]), {"x": U((3, 4), 0.5, 1.5)})
case("prod_all_one_zero", lambda t, p: torch.prod(t["x"]), {"x": with_points(U((3, 4), 0.5, 1.5), [0.0])})
case("prod_all_two_zeros", lambda t, p: torch.prod(t["x"]), {"x": with_points(U((3, 4), 0.5, 1.5), [0.0, 0.0])})
# Rows: no zero, one zero, two zeros in a row.
prod_x = U((3, 4), 0.5, 1.5)
prod_x[1, 2] = 0.0
prod_x[2, 1:3] = 0.0
case("prod_dim_zeros", lambda t, p: torch.prod(t["x"], p["dim"]), {"x": prod_x}, {"dim": 1})
case("prod_dim_keepdim", lambda t, p: torch.prod(t["x"], p["dim"], keepdim=True),
     {"x": prod_x.T.copy()}, {"dim": 0})
ties = U((3, 4))
ties[0, 1] = ties[0, 3] = 5.0          # two maxima in row 0
ties[1, :] = -5.0                      # a row that is all minima
ties[2, 0] = ties[2, 2] = ties[2, 3] = -4.0
for op in ["amax", "amin"]:
    f = getattr(torch, op)
    case(f"{op}_dim_ties", lambda t, p, f=f: f(t["x"], p["dims"]), {"x": ties}, {"dims": [1]})
    case(f"{op}_keepdim_ties", lambda t, p, f=f: f(t["x"], p["dims"], keepdim=True), {"x": ties}, {"dims": [0]})
    case(f"{op}_all_ties", lambda t, p, f=f: f(t["x"], p["dims"]), {"x": ties}, {"dims": [0, 1]})
for op in ["max", "min"]:
    f = getattr(torch, op)
    case(f"{op}_all", lambda t, p, f=f: f(t["x"]), {"x": U((3, 4))})
    case(f"{op}_all_ties", lambda t, p, f=f: f(t["x"]), {"x": ties})  # split evenly
    case(f"{op}_dim", lambda t, p, f=f: f(t["x"], p["dim"]).values, {"x": U((3, 4))}, {"dim": 1})
    case(f"{op}_dim_keepdim", lambda t, p, f=f: f(t["x"], p["dim"], keepdim=True).values,
         {"x": U((2, 3, 4))}, {"dim": 1})
for op in ["var", "std"]:
    f = getattr(torch, op)
    for corr in [0, 1]:
        case(f"{op}_dims_c{corr}", lambda t, p, f=f: f(t["x"], p["dims"], correction=p["correction"]),
             {"x": U((2, 3, 4))}, {"dims": [0, 2], "correction": corr})
        case(f"{op}_keepdim_c{corr}",
             lambda t, p, f=f: f(t["x"], p["dims"], correction=p["correction"], keepdim=True),
             {"x": U((3, 4))}, {"dims": [1], "correction": corr})
    case(f"{op}_all", lambda t, p, f=f: f(t["x"]), {"x": U((3, 4))})
case("std_constant_row", lambda t, p: torch.std(t["x"], p["dims"]),
     {"x": [[1.5, 1.5, 1.5, 1.5], [1.0, 2.0, 3.0, 5.0]]}, {"dims": [1]})  # torch: 0 where std is 0
# Groups along dim 1: no zero, one zero, two zeros. torch reduces one dim at a time.
prod3 = U((2, 3, 4), 0.5, 1.5)
prod3[1, 1, 2] = 0.0
prod3[0, 2, 1] = prod3[1, 2, 3] = 0.0
case("prod_two_dims", lambda t, p: t["x"].prod(2).prod(0), {"x": prod3}, {"dims": [0, 2]})
case("sum_dtype_from_float32", lambda t, p: torch.sum(t["x"].to(torch.float32), p["dims"], dtype=torch.float64),
     {"x": U((3, 4))}, {"dims": [1]}, rtol=1e-6, atol=1e-6)
case("mean_dtype_from_float32", lambda t, p: torch.mean(t["x"].to(torch.float32), p["dims"], dtype=torch.float64),
     {"x": U((3, 4))}, {"dims": [0]}, rtol=1e-6, atol=1e-6)
case("amax_noncontiguous_ties", lambda t, p: torch.amax(t["x"].t(), p["dims"]), {"x": ties}, {"dims": [0]})
case("var_noncontiguous", lambda t, p: torch.var(t["x"].t(), p["dims"]), {"x": U((3, 4))}, {"dims": [1]})
# 0-dim and empty inputs.
case("unary_exp_0d", lambda t, p: torch.exp(t["x"]), {"x": np.array(0.7)})
case("sum_0d", lambda t, p: torch.sum(t["x"]), {"x": np.array(-1.2)})
case("max_dim_0d", lambda t, p: torch.max(t["x"], p["dim"]).values, {"x": np.array(1.3)}, {"dim": 0})
case("unary_exp_empty", lambda t, p: torch.exp(t["x"]), {"x": U((0, 3))})
case("sum_empty_dim", lambda t, p: torch.sum(t["x"], p["dims"]), {"x": U((0, 3))}, {"dims": [0]})
case("prod_empty_dim", lambda t, p: torch.prod(t["x"], p["dim"]), {"x": U((0, 3))}, {"dim": 0})
case("mean_empty_dim", lambda t, p: torch.mean(t["x"], p["dims"]), {"x": U((0, 3))}, {"dims": [0]})

# --- views --------------------------------------------------------------------------
case("view", lambda t, p: t["x"].view(2, 6), {"x": U((3, 4))})
case("reshape", lambda t, p: t["x"].reshape(2, 3, 2), {"x": U((3, 4))})
case("reshape_noncontiguous", lambda t, p: t["x"].t().reshape(-1), {"x": U((3, 4))})
case("permute", lambda t, p: t["x"].permute(2, 0, 1), {"x": U((2, 3, 4))})
case("transpose", lambda t, p: t["x"].transpose(0, 2), {"x": U((2, 3, 4))})
case("t", lambda t, p: t["x"].t(), {"x": U((3, 4))})
case("expand", lambda t, p: t["x"].expand(2, 3, 4), {"x": U((3, 1))})
case("slice_step2", lambda t, p: t["x"][1:5:2], {"x": U((5, 4))})
case("slice_step3_dim1", lambda t, p: t["x"][:, 0:7:3], {"x": U((2, 7))})
case("slice_negative_step", lambda t, p: py_slice(t["x"], 1, 3, 0, -1), {"x": U((3, 5))})
case("slice_negative_step2", lambda t, p: py_slice(t["x"], 0, 4, -10, -2), {"x": U((5, 3))})
case("narrow", lambda t, p: t["x"].narrow(1, 1, 2), {"x": U((3, 4))})
case("select", lambda t, p: t["x"].select(0, 1), {"x": U((3, 4))})
case("select_last", lambda t, p: t["x"].select(-1, 2), {"x": U((2, 3, 4))})
case("squeeze", lambda t, p: t["x"].squeeze(), {"x": U((3, 1, 4, 1))})
case("squeeze_dim", lambda t, p: t["x"].squeeze(1), {"x": U((3, 1, 4, 1))})
case("unsqueeze", lambda t, p: t["x"].unsqueeze(1), {"x": U((3, 4))})
case("diagonal_plus1", lambda t, p: t["x"].diagonal(1), {"x": U((4, 5))})
case("diagonal_minus1", lambda t, p: t["x"].diagonal(-1), {"x": U((4, 5))})
case("diagonal_dims12", lambda t, p: t["x"].diagonal(0, 1, 2), {"x": U((2, 3, 4))})
case("as_strided", lambda t, p: t["x"].as_strided((3, 2), (3, 2), 1), {"x": U((12,))})
case("as_strided_overlap", lambda t, p: t["x"].as_strided((3, 3), (2, 1), 0), {"x": U((12,))})
case("unfold_overlap", lambda t, p: t["x"].unfold(1, 3, 1), {"x": U((2, 6))})
case("unfold_step2", lambda t, p: t["x"].unfold(0, 2, 2), {"x": U((5, 3))})
case("flatten", lambda t, p: t["x"].flatten(), {"x": U((2, 3, 4))})
case("flip", lambda t, p: torch.flip(t["x"], [0, 2]), {"x": U((2, 3, 4))})
case("clone", lambda t, p: t["x"].clone(), {"x": U((3, 4))})
case("to_float32_and_back", lambda t, p: t["x"].to(torch.float32).to(torch.float64), {"x": U((3, 4))},
     rtol=1e-6, atol=1e-6)
case("view_chain", lambda t, p: t["x"].t()[1:3].unsqueeze(0).expand(2, 2, 3) * 2, {"x": U((3, 4))})

case("view_minus1", lambda t, p: t["x"].view(-1, 3), {"x": U((3, 4))})
case("expand_minus1", lambda t, p: t["x"].expand(-1, 4), {"x": U((3, 1))})
case("permute_negative", lambda t, p: t["x"].permute(-1, 0, -2), {"x": U((2, 3, 4))})
case("transpose_negative", lambda t, p: t["x"].transpose(-1, 0), {"x": U((2, 3, 4))})
case("unsqueeze_negative", lambda t, p: t["x"].unsqueeze(-1), {"x": U((3, 4))})
case("squeeze_dim_not_one", lambda t, p: t["x"].squeeze(0), {"x": U((3, 1, 4, 1))})
case("select_negative_index", lambda t, p: t["x"].select(0, -1), {"x": U((3, 4))})
case("flip_negative_dim", lambda t, p: torch.flip(t["x"], [-1]), {"x": U((3, 4))})
case("slice_of_transposed", lambda t, p: t["x"].t()[:, 0:3:2], {"x": U((3, 4))})
case("diagonal_of_transposed", lambda t, p: t["x"].t().diagonal(1), {"x": U((4, 5))})
case("as_strided_of_transpose", lambda t, p: t["x"].t().as_strided((2, 2), (1, 4), 1), {"x": U((3, 4))})
case("as_strided_of_slice", lambda t, p: t["x"][1:].as_strided((2, 2), (4, 1)), {"x": U((3, 4))})
case("unfold_whole", lambda t, p: t["x"].unfold(1, 6, 1), {"x": U((2, 6))})

# --- in place under autograd (leaves are copied first: leaves refuse in-place writes) ---
def inplace(method, *args, **kwargs):
    def fn(t, p):
        y = t["x"] * 1
        getattr(y, method)(*[t[a] if isinstance(a, str) else a for a in args], **kwargs)
        return y
    return fn


case("inplace_add_", inplace("add_", "w", alpha=2.5), {"x": U((3, 4)), "w": U((4,))})
case("inplace_add_scalar_", inplace("add_", 1.5), {"x": U((3, 4))})
case("inplace_sub_", inplace("sub_", "w", alpha=0.5), {"x": U((3, 4)), "w": U((3, 1))})
case("inplace_mul_", inplace("mul_", "w"), {"x": U((3, 4)), "w": U((4,))})
case("inplace_mul_scalar_", inplace("mul_", -2.0), {"x": U((3, 4))})
case("inplace_div_", inplace("div_", "w"), {"x": U((3, 4)), "w": away_from_zero((3, 4))})
case("inplace_clamp_", inplace("clamp_", -0.5, 0.5), {"x": with_points(U((3, 4), -1, 1), at_bounds)})
case("inplace_twice", lambda t, p: (t["x"] * 1).mul_(t["w"]).add_(t["w"]), {"x": U((3, 4)), "w": U((4,))})


def copy_into_slice(t, p):
    big = t["x"] * 1
    big[1:3].copy_(t["w"])  # w broadcasts over the two rows
    return big


def fill_slice(t, p):
    big = t["x"] * 1
    big[:, 1:3].fill_(2.0)
    return big


def mul_on_slice(t, p):
    big = t["x"] * 1
    big[:, 1:3].mul_(t["w"])  # CopySlices
    return big


def mul_on_select_return_view(t, p):
    big = t["x"] * 1
    v = big[1]
    v.mul_(t["w"])
    return v * 2  # the view's history, rebuilt from its base


def mul_on_slice_then_use_both(t, p):
    big = t["x"] * 1
    v = big[:, 0:2]
    v.mul_(t["w"])
    return big * 3 + v.sum(1, keepdim=True)


case("inplace_copy_into_slice", copy_into_slice, {"x": U((4, 3)), "w": U((3,))})
case("inplace_fill_slice", fill_slice, {"x": U((3, 4))})
case("inplace_mul_on_slice", mul_on_slice, {"x": U((3, 4)), "w": U((3, 2))})
case("inplace_mul_on_select_view", mul_on_select_return_view, {"x": U((3, 4)), "w": U((4,))})
case("inplace_mul_on_slice_use_both", mul_on_slice_then_use_both, {"x": U((3, 4)), "w": U((2,))})



def into_constant(t, p):
    y = t["c"].clone()  # requires no grad until w is added in
    y.add_(t["w"])
    return y


def copy_whole(t, p):
    y = t["x"] * 1
    return y.copy_(t["w"])


def fill_whole(t, p):
    y = t["x"] * 1
    return y.fill_(3.0)


def copy_from_float32(t, p):
    big = t["x"] * 1
    big[1:3].copy_(t["w"].to(torch.float32))
    return big


def mul_mixed_dtype(t, p):
    y = t["x"].to(torch.float32)
    y.mul_(t["w"])
    return y.to(torch.float64)


def mul_on_view_of_view(t, p):
    big = t["x"] * 1
    big[1:3].select(1, 0).mul_(t["w"])
    return big


def other_view_after_write(t, p):
    big = t["x"] * 1
    row = big[0]
    big[:, 1].mul_(t["w"])  # overlaps row at [0, 1]
    return row  # its history is rebuilt from big's


def clamp_on_slice(t, p):
    big = t["x"] * 1
    big[:, 1:3].clamp_(-0.5, 0.5)
    return big


def add_on_diagonal(t, p):
    big = t["x"] * 1
    big.diagonal().add_(t["w"])
    return big


def copy_into_column(t, p):
    big = t["x"] * 1
    big.t()[1].copy_(t["w"])
    return big


case("inplace_into_constant", into_constant, {"c": U((3, 4)), "w": U((4,))}, nograd=("c",))
case("inplace_copy_whole", copy_whole, {"x": U((3, 4)), "w": U((4,))})
case("inplace_fill_whole", fill_whole, {"x": U((3, 4))})
case("inplace_copy_from_float32", copy_from_float32, {"x": U((4, 3)), "w": U((3,))}, rtol=1e-6, atol=1e-6)
case("inplace_mul_mixed_dtype", mul_mixed_dtype, {"x": U((3, 4)), "w": U((4,))}, rtol=1e-6, atol=1e-6)
case("inplace_mul_on_view_of_view", mul_on_view_of_view, {"x": U((3, 4)), "w": U((2,))})
case("inplace_other_view_after_write", other_view_after_write, {"x": U((3, 4)), "w": U((3,))})
case("inplace_clamp_on_slice", clamp_on_slice, {"x": with_points(U((3, 4), -1, 1), [0.0, -0.5, 0.5])})
case("inplace_add_on_diagonal", add_on_diagonal, {"x": U((4, 4)), "w": U((4,))})
case("inplace_copy_into_column", copy_into_column, {"x": U((3, 4)), "w": U((3,))})

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    with open(args.out, "w") as f:
        json.dump({"torch_version": torch.__version__, "cases": CASES}, f, allow_nan=False)


if __name__ == "__main__":
    main()
