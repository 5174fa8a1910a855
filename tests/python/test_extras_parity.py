"""Hand-written parity checks against torch 1.13 where its OpInfo samples are thin: the
argument forms, edge values and errors of the operators of each section below, and, for
the random samplers, distributions, seeds and errors.

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_extras_parity.py
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from _parity import lt, to_lt, assert_parity  # noqa: E402


def _randn(*shape, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g, dtype=dtype)


# --- elementwise extras ---------------------------------------------------------------------

def test_elementwise_extras_edges():
    inf, nan = float("inf"), float("nan")
    x = torch.tensor([0.0, 0.0, 0.0, 1.0, -2.0, 3.0], dtype=torch.float64)
    y = torch.tensor([0.0, inf, nan, 0.0, 2.0, -1.0], dtype=torch.float64)
    assert_parity(lt.xlogy(to_lt(x), to_lt(y)), torch.xlogy(x, y))
    assert_parity(lt.xlogy(2, to_lt(y)), torch.xlogy(2, y))
    assert_parity(lt.xlogy(to_lt(x), 3), torch.xlogy(x, 3))
    assert_parity(to_lt(x).xlogy(to_lt(y)), x.xlogy(y))
    assert_parity(lt.copysign(to_lt(x), to_lt(-y)), torch.copysign(x, -y))
    assert_parity(lt.copysign(to_lt(torch.tensor([1, -2])), -0.0), torch.copysign(torch.tensor([1, -2]), -0.0))
    assert_parity(lt.hypot(to_lt(x), to_lt(y)), torch.hypot(x, y))
    with pytest.raises(TypeError):
        lt.hypot(to_lt(x), 2.0)
    z = torch.tensor([0.0, -0.0, -1.0, -2.5, 1e-8, 0.5, 1.0, 170.5, 1e10, inf, -inf, nan], dtype=torch.float64)
    assert_parity(lt.lgamma(to_lt(z)), torch.lgamma(z))
    assert_parity(lt.digamma(to_lt(z)), torch.digamma(z))
    for n in range(5):
        # at +inf torch 1.13 gives nan for n >= 2, libtensor the limit 0
        zz = z[(z > 0) & z.isfinite()]
        assert_parity(lt.polygamma(n, to_lt(zz)), torch.polygamma(n, zz))
        assert_parity(to_lt(zz).polygamma(n), zz.polygamma(n))
    t = to_lt(z.clone())
    assert t.digamma_() is t
    with pytest.raises(Exception, match="polygamma"):
        lt.polygamma(-1, to_lt(z))

