#!/usr/bin/env python3
"""A small CNN on scikit-learn's bundled 8×8 handwritten digits (no download), with libtensor:

    /usr/bin/python3 examples/digits_cnn.py             # 30 epochs, a few seconds, about 98-99% test accuracy
    /usr/bin/python3 examples/digits_cnn.py --epochs 5

The 1,797 images are split 75/25 (seeded); the network is two 3×3 convolutions with batch norm
and a max-pool, then two linear layers; AdamW with cosine annealing, a seeded shuffling
DataLoader. It prints the loss and the test accuracy per epoch.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "python"))
import libtensor as lt  # noqa: E402
import libtensor.nn as nn  # noqa: E402
import libtensor.nn.functional as F  # noqa: E402
from libtensor.utils.data import DataLoader, TensorDataset  # noqa: E402


def load(seed: int):
    """Images scaled to [0, 1] as (N, 1, 8, 8) float32, labels int64; a seeded 75/25 split."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    x = lt.tensor(digits.images, dtype=lt.float32).unsqueeze(1) / 16.0
    y = lt.tensor(digits.target, dtype=lt.int64)
    g = lt.Generator()
    g.manual_seed(seed)
    order = lt.randperm(len(y), generator=g)
    test = len(y) // 4
    return (x[order[test:]], y[order[test:]]), (x[order[:test]], y[order[:test]])


def model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25), nn.Linear(64 * 4 * 4, 128), nn.ReLU(), nn.Linear(128, 10))


@lt.no_grad()
def accuracy(net, x, y) -> float:
    net.eval()
    correct = int((net(x).argmax(dim=1) == y).sum())
    net.train()
    return correct / len(y)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    lt.manual_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = load(args.seed)
    net = model()
    optimizer = lt.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-2)
    schedule = lt.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    g = lt.Generator()
    g.manual_seed(args.seed)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=args.batch, shuffle=True, generator=g)
    print(f"{len(y_train)} training and {len(y_test)} test images; {sum(p.numel() for p in net.parameters())} "
          "parameters")
    start, history = time.time(), []
    for epoch in range(1, args.epochs + 1):
        total, count = 0.0, 0
        for xb, yb in loader:
            loss = F.cross_entropy(net(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss) * len(yb)
            count += len(yb)
        schedule.step()
        acc = accuracy(net, x_test, y_test)
        history.append((total / count, acc))
        print(f"epoch {epoch:2d}: training loss {total / count:.4f}, test accuracy {100 * acc:.2f}%")
    print(f"{time.time() - start:.1f} s; final test accuracy {100 * history[-1][1]:.2f}%")
    return history


if __name__ == "__main__":
    main()
