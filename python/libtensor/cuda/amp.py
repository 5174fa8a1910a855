"""libtensor.cuda.amp: GradScaler, here a pass-through (there is no float16 training on cpu)."""
import contextlib
import warnings


class GradScaler:
    """Scales losses against float16 underflow on CUDA. Without CUDA, or with enabled=False,
    every method passes its argument through, so training code runs unchanged."""

    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000,
                 enabled=True):
        if enabled:
            warnings.warn("libtensor.cuda.amp.GradScaler is enabled, but CUDA is not available. "
                          "Disabling.")
        self._enabled = False

    def scale(self, outputs):
        return outputs

    def unscale_(self, optimizer):
        pass

    def step(self, optimizer, *args, **kwargs):
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None):
        pass

    def get_scale(self):
        return 1.0

    def is_enabled(self):
        return self._enabled

    def state_dict(self):
        return {}

    def load_state_dict(self, state_dict):
        pass


def autocast(enabled=True, dtype=None, cache_enabled=True):
    """A no-op context manager without CUDA."""
    return contextlib.nullcontext()
