"""examples/digits_cnn.py: the CNN on scikit-learn's 8×8 digits reaches at least 97% test accuracy
(the issue's bar) in a short run of 8 epochs."""
import os
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")


def test_digits_cnn_reaches_97_percent(capsys):
    pytest.importorskip("sklearn")
    sys.path.insert(0, EXAMPLES)
    try:
        import digits_cnn
    finally:
        sys.path.remove(EXAMPLES)
    history = digits_cnn.main(["--epochs", "8"])
    losses = [loss for loss, _ in history]
    assert losses[-1] < 0.2 * losses[0]
    assert history[-1][1] >= 0.97
    assert "final test accuracy" in capsys.readouterr().out
