#!/usr/bin/env python3
"""libtensor's flagship example: a small character-level transformer that learns to invent
English words, trained on the word list of Debian's wamerican package.

    /usr/bin/python3 examples/char_transformer.py            # about a minute on 2 cores
    /usr/bin/python3 examples/char_transformer.py --steps 20000   # train longer

Everything is libtensor, written the way it would be with PyTorch (`import libtensor as
torch` would read the same): lt.nn modules, AdamW with a one-cycle schedule, a seeded
DataLoader, cross_entropy with ignore_index. It prints a progress bar (tqdm) with the
training loss, evaluates on held-out words every few hundred steps, and at the end
samples new words, saves a checkpoint with lt.save (safetensors, no pickle) and plots
the loss curves to a PNG (matplotlib).
"""
import argparse
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "python"))
import libtensor as lt  # noqa: E402
import libtensor.nn as nn  # noqa: E402
import libtensor.nn.functional as F  # noqa: E402
from libtensor.utils.data import DataLoader, TensorDataset  # noqa: E402

WORDS = "/usr/share/dict/words"
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
BOUNDARY = 0  # token 0 marks the start and the end of a word; letters are 1..26
PAD = -1      # target positions past the end of a word: ignored by the loss


def load_words(path: str, max_len: int):
    """The dictionary's lower-case, purely alphabetic words (no proper nouns, no possessives)."""
    with open(path, encoding="utf-8", errors="ignore") as f:
        words = sorted({w.strip() for w in f if w.strip().isascii() and w.strip().isalpha() and w.strip().islower()})
    return [w for w in words if 2 <= len(w) <= max_len]


def encode(words, block: int):
    """Inputs "<.>word" and targets "word<.>", padded to the block size."""
    xs, ys = [], []
    for w in words:
        codes = [ALPHABET.index(c) + 1 for c in w]
        xs.append([BOUNDARY] + codes + [BOUNDARY] * (block - 1 - len(codes)))
        ys.append(codes + [BOUNDARY] + [PAD] * (block - 1 - len(codes)))
    return lt.tensor(xs), lt.tensor(ys)


class CausalSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int, block: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("future", lt.ones(block, block).triu(1).bool(), persistent=False)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).split(D, dim=2)
        q, k, v = (t.reshape(B, T, self.heads, D // self.heads).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(D // self.heads))
        att = att.masked_fill(self.future[:T, :T], float("-inf")).softmax(dim=-1)
        return self.proj((att @ v).transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, dim: int, heads: int, block: int):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = CausalSelfAttention(dim, heads, block)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class WordModel(nn.Module):
    def __init__(self, vocab: int, block: int, dim: int, heads: int, layers: int):
        super().__init__()
        self.block = block
        self.tokens = nn.Embedding(vocab, dim)
        self.positions = nn.Embedding(block, dim)
        self.blocks = nn.Sequential(*[Block(dim, heads, block) for _ in range(layers)])
        self.ln = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx):
        T = idx.shape[1]
        x = self.tokens(idx) + self.positions(lt.arange(T))
        return self.head(self.ln(self.blocks(x)))


def loss_of(model, x, y):
    logits = model(x)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=PAD)


@lt.no_grad()
def evaluate(model, x, y, batch: int = 512) -> float:
    model.eval()
    total, count = 0.0, 0
    for i in range(0, x.shape[0], batch):
        xb, yb = x[i:i + batch], y[i:i + batch]
        n = int((yb != PAD).sum())
        total += float(loss_of(model, xb, yb)) * n
        count += n
    model.train()
    return total / count


@lt.no_grad()
def sample(model, count: int, generator, temperature: float = 1.0):
    """Words drawn letter by letter until the boundary token (or the block is full)."""
    model.eval()
    words = []
    for _ in range(count):
        idx = lt.zeros(1, 1, dtype=lt.int64)
        letters = []
        for _ in range(model.block - 1):
            probs = (model(idx)[0, -1] / temperature).softmax(dim=-1)
            nxt = int(lt.multinomial(probs, 1, generator=generator))
            if nxt == BOUNDARY:
                break
            letters.append(ALPHABET[nxt - 1])
            idx = lt.cat([idx, lt.tensor([[nxt]])], dim=1)
        words.append("".join(letters))
    model.train()
    return words


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1500, help="training steps (default: about a minute)")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--lr", type=float, default=5e-3)
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1337)
    parser.add_argument("--words", default=WORDS)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build",
                                                      "flagship"))
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    lt.manual_seed(args.seed)
    block = 16
    words = load_words(args.words, block - 1)
    generator = lt.Generator()
    generator.manual_seed(args.seed)
    order = lt.randperm(len(words), generator=generator).tolist()
    held_out = max(1, len(words) // 10)
    train_words = [words[i] for i in order[held_out:]]
    val_words = [words[i] for i in order[:held_out]]
    x_train, y_train = encode(train_words, block)
    x_val, y_val = encode(val_words, block)
    print(f"{len(words)} words from {args.words}: {len(train_words)} to train on, {len(val_words)} held out")

    model = WordModel(len(ALPHABET) + 1, block, args.dim, args.heads, args.layers)
    print(f"model: {sum(p.numel() for p in model.parameters())} parameters, {args.layers} layers, d={args.dim}, "
          f"{args.heads} heads")
    optimizer = lt.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    schedule = lt.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=args.steps, pct_start=0.1)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=args.batch, shuffle=True, drop_last=True,
                        generator=generator)

    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a nicety; training does not need it
        tqdm = None
    bar = tqdm(total=args.steps, unit="step", disable=args.quiet) if tqdm else None
    history = {"step": [], "train": [], "val_step": [], "val": []}
    step, start, smooth = 0, time.time(), None
    while step < args.steps:
        for xb, yb in loader:
            loss = loss_of(model, xb, yb)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            value = float(loss)
            smooth = value if smooth is None else 0.95 * smooth + 0.05 * value
            history["step"].append(step)
            history["train"].append(value)
            if bar:
                bar.set_postfix(loss=f"{smooth:.3f}", lr=f"{schedule.get_last_lr()[0]:.2e}")
                bar.update(1)
            if step % args.eval_every == 0 or step == args.steps:
                val = evaluate(model, x_val, y_val)
                history["val_step"].append(step)
                history["val"].append(val)
                message = f"step {step}: train loss {smooth:.3f}, validation loss {val:.3f}"
                (bar.write if bar else print)(message)
            if step == args.steps:
                break
    if bar:
        bar.close()
    elapsed = time.time() - start
    print(f"trained {step} steps in {elapsed:.1f} s ({elapsed / step * 1e3:.1f} ms per step); "
          f"uniform guessing would score {math.log(len(ALPHABET) + 1):.3f}")

    known = set(words)
    invented = sample(model, args.samples, generator)
    print("invented words:", ", ".join(w + ("" if w not in known else " (a real word)") for w in invented))

    os.makedirs(args.out, exist_ok=True)
    checkpoint = os.path.join(args.out, "char_transformer.safetensors")
    lt.save({"model": model.state_dict(), "steps": step}, checkpoint)
    restored = WordModel(len(ALPHABET) + 1, block, args.dim, args.heads, args.layers)
    restored.load_state_dict(lt.load(checkpoint)["model"])
    assert abs(evaluate(restored, x_val[:256], y_val[:256]) - evaluate(model, x_val[:256], y_val[:256])) < 1e-6
    print(f"checkpoint: {checkpoint} (reloaded and checked)")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot")
        return history
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(history["step"], history["train"], lw=0.6, alpha=0.5, label="training (per batch)")
    ax.plot(history["val_step"], history["val"], "o-", label="validation")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy (nats per letter)")
    ax.set_title("libtensor: a character-level transformer learns English words")
    ax.legend()
    fig.tight_layout()
    plot = os.path.join(args.out, "loss.png")
    fig.savefig(plot, dpi=120)
    print(f"loss curve: {plot}")
    return history


if __name__ == "__main__":
    main()
