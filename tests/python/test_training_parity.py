"""Whole training runs against PyTorch: with identical initial weights (copied across) and
identical batches, 50 steps of an MLP, a CNN and a small transformer give the same losses as
torch 1.13, for SGD with momentum and for AdamW, in float32."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import libtensor as lt  # noqa: E402

STEPS = 50


def mlp(nn):
    return nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 5))


def cnn(nn):
    return nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
                         nn.Flatten(), nn.Dropout(0.0), nn.Linear(16 * 6 * 6, 10))


class Transformer:
    """Token embedding, one encoder layer (pre-norm, GELU) and a linear head, for either library."""

    def __new__(cls, nn):
        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = nn.Embedding(30, 32)
                self.layer = nn.TransformerEncoderLayer(32, 4, dim_feedforward=64, dropout=0.0, activation="gelu",
                                                        batch_first=True, norm_first=True)
                self.head = nn.Linear(32, 30)

            def forward(self, x):
                return self.head(self.layer(self.embed(x)))
        return Model()


def batches(kind, rng):
    """Five fixed batches, cycled: a data set small enough to be learnt in 50 steps."""
    if kind == "mlp":
        data = [(rng.standard_normal((16, 20)).astype(np.float32), rng.integers(0, 5, 16)) for _ in range(5)]
    elif kind == "cnn":
        data = [(rng.standard_normal((8, 1, 14, 14)).astype(np.float32), rng.integers(0, 10, 8)) for _ in range(5)]
    else:
        data = [(rng.integers(0, 30, (4, 12)), rng.integers(0, 30, (4, 12))) for _ in range(5)]
    for step in range(STEPS):
        yield data[step % len(data)]


MODELS = {"mlp": mlp, "cnn": cnn, "transformer": Transformer}
OPTIMIZERS = {
    "sgd-momentum": lambda optim, params: optim.SGD(params, lr=0.05, momentum=0.9),
    "adamw": lambda optim, params: optim.AdamW(params, lr=3e-3, weight_decay=0.05),
}


def train(lib, model, make_opt, kind):
    opt = make_opt(lib.optim, model.parameters())
    losses = []
    for x, y in batches(kind, np.random.default_rng(7)):
        xt, yt = lib.tensor(x), lib.tensor(y)
        out = model(xt)
        loss = lib.nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), yt.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return losses


@pytest.mark.parametrize("opt_name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("kind", sorted(MODELS))
def test_fifty_steps_match_torch(kind, opt_name):
    torch.manual_seed(0)
    theirs = MODELS[kind](torch.nn)
    ours = MODELS[kind](lt.nn)
    state = {k: lt.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()}
    ours.load_state_dict(state)
    reference = train(torch, theirs, OPTIMIZERS[opt_name], kind)
    mine = train(lt, ours, OPTIMIZERS[opt_name], kind)
    assert reference[-1] < 0.8 * reference[0]  # the run learns, so agreement means something
    np.testing.assert_allclose(mine, reference, rtol=2e-3, atol=1e-4)
    for name, p in theirs.state_dict().items():
        a, b = ours.state_dict()[name].numpy(), p.numpy()
        if name.endswith("in_proj_bias"):
            # The key projection's bias gets a zero gradient in exact arithmetic (softmax ignores a shift
            # shared by a row), so only rounding noise moves it: compare the query and value parts.
            third = a.shape[0] // 3
            a, b = np.delete(a, slice(third, 2 * third)), np.delete(b, slice(third, 2 * third))
        np.testing.assert_allclose(a, b, rtol=1e-2, atol=2e-3, err_msg=name)
