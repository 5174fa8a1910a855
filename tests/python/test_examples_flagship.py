"""The flagship example (examples/char_transformer.py) in short form: it trains (the loss falls
well below uniform guessing), samples words, saves a checkpoint that reloads, and plots."""
import math
import os
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")


@pytest.mark.skipif(not os.path.exists("/usr/share/dict/words"), reason="Debian's wamerican is not installed")
def test_flagship_trains_samples_saves_and_plots(tmp_path, capsys):
    sys.path.insert(0, EXAMPLES)
    try:
        import char_transformer
    finally:
        sys.path.remove(EXAMPLES)
    history = char_transformer.main(["--steps", "120", "--eval-every", "60", "--quiet", "--samples", "5",
                                     "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert len(history["train"]) == 120 and history["val_step"] == [60, 120]
    assert history["val"][-1] < math.log(27) - 0.8  # uniform guessing over 27 tokens scores log 27 = 3.30
    assert "invented words:" in out
    assert (tmp_path / "char_transformer.safetensors").stat().st_size > 100_000
    pytest.importorskip("matplotlib")
    assert (tmp_path / "loss.png").stat().st_size > 1000
