"""Makes the built package importable: <repo>/build/python on sys.path when libtensor isn't importable."""
import importlib.util
import os
import sys

if importlib.util.find_spec("libtensor") is None:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                    "build", "python"))


import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    """A numpy generator seeded alike for every test that asks for one."""
    return np.random.default_rng(0)
