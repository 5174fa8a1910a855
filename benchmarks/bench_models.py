#!/usr/bin/env python3
"""Whole networks, forward and backward, beside PyTorch in one run: pytorch/examples' MNIST
network (two 3×3 convolutions, max-pool, dropout, two linear layers; batch 64) and a GPT
block (d=128, 4 heads, T=64, batch 16). Both are written once against the functional
API, so the same code runs on either library. Writes the table into
benchmarks/README.md between the MODELS markers.

Each library is timed in a child process that imports only it (see bench_python.py).

Usage: PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_models.py
"""
import json
import math

import report  # same directory


def mnist_net(lib):
    """Parameters and a training step's forward and backward (no optimizer) of the MNIST network."""
    F = lib.nn.functional

    def param(*shape, fan_in):
        bound = 1 / math.sqrt(fan_in)
        return (lib.rand(*shape) * 2 * bound - bound).requires_grad_()

    p = {"c1w": param(32, 1, 3, 3, fan_in=9), "c1b": param(32, fan_in=9),
         "c2w": param(64, 32, 3, 3, fan_in=288), "c2b": param(64, fan_in=288),
         "f1w": param(128, 9216, fan_in=9216), "f1b": param(128, fan_in=9216),
         "f2w": param(10, 128, fan_in=128), "f2b": param(10, fan_in=128)}
    x = lib.randn(64, 1, 28, 28)
    y = lib.randint(0, 10, (64,))

    def step():
        h = F.relu(F.conv2d(x, p["c1w"], p["c1b"]))
        h = F.relu(F.conv2d(h, p["c2w"], p["c2b"]))
        h = F.dropout(F.max_pool2d(h, 2), 0.25)
        h = F.dropout(F.relu(F.linear(h.flatten(1), p["f1w"], p["f1b"])), 0.5)
        loss = F.nll_loss(F.log_softmax(F.linear(h, p["f2w"], p["f2b"]), dim=1), y)
        loss.backward()
        for t in p.values():
            t.grad = None

    flops = 2 * 64 * (32 * 26 * 26 * 9 + 64 * 24 * 24 * 288 + 9216 * 128 + 128 * 10) * 3  # forward + 2× backward
    return step, flops


def gpt_block(lib):
    """A pre-norm transformer block: causal attention with 4 heads and a 4× GELU MLP."""
    F = lib.nn.functional
    B, T, D, H = 16, 64, 128, 4

    def param(*shape):
        return (lib.randn(*shape) * 0.02).requires_grad_()

    p = {"qkv_w": param(3 * D, D), "qkv_b": param(3 * D), "proj_w": param(D, D), "proj_b": param(D),
         "fc_w": param(4 * D, D), "fc_b": param(4 * D), "out_w": param(D, 4 * D), "out_b": param(D),
         "ln1_w": lib.ones(D).requires_grad_(), "ln1_b": lib.zeros(D).requires_grad_(),
         "ln2_w": lib.ones(D).requires_grad_(), "ln2_b": lib.zeros(D).requires_grad_()}
    x = lib.randn(B, T, D).requires_grad_()
    mask = lib.ones(T, T).triu(1).bool()

    def step():
        h = F.layer_norm(x, (D,), p["ln1_w"], p["ln1_b"])
        q, k, v = F.linear(h, p["qkv_w"], p["qkv_b"]).split(D, dim=2)
        q, k, v = (t.reshape(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(D // H))
        att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
        a = (att @ v).transpose(1, 2).reshape(B, T, D)
        r = x + F.linear(a, p["proj_w"], p["proj_b"])
        m = F.linear(F.gelu(F.linear(F.layer_norm(r, (D,), p["ln2_w"], p["ln2_b"]), p["fc_w"], p["fc_b"])),
                     p["out_w"], p["out_b"])
        (r + m).sum().backward()
        x.grad = None
        for t in p.values():
            t.grad = None

    tokens = B * T
    linear = 2 * tokens * (D * 3 * D + D * D + 2 * D * 4 * D)
    attention = 2 * 2 * B * H * T * T * (D // H)
    return step, 3 * (linear + attention)


WORKLOADS = {
    "MNIST network (batch 64), forward + backward": mnist_net,
    "GPT block (d=128, 4 heads, T=64, batch 16), forward + backward": gpt_block,
}


def child(module_name):
    """Prints {workload: seconds per step} for one library as JSON."""
    lib = report.load(module_name)
    print(json.dumps({name: report.best(make(lib)[0], number=5) for name, make in WORKLOADS.items()}))


def main():
    mine, ref = report.timings_of(__file__, "libtensor"), report.timings_of(__file__, "torch")
    lines = report.header("float32, one training step's forward and backward (gradients of every parameter; no "
                          "optimizer), best of 7 runs of 5 steps, from Python. GFLOP/s counts the products' "
                          "arithmetic (forward and twice that backward). Ratio = PyTorch's time / libtensor's.",
                          ["workload", "libtensor ms", "libtensor GFLOP/s", "PyTorch ms", "ratio", "target"])
    import libtensor
    for name, make in WORKLOADS.items():
        _, flops = make(libtensor)
        ratio = ref[name] / mine[name]
        lines.append(f"| {name} | {mine[name] * 1e3:.2f} | {flops / mine[name] / 1e9:.1f} | {ref[name] * 1e3:.2f} | "
                     f"{ratio:.2f} | ≥ 1 (issue 5): {'met' if ratio >= 1 else 'NOT met'} |")
    table = "\n".join(lines)
    print(table)
    report.write_section("MODELS", table)


if __name__ == "__main__":
    report.run(child, main)
