"""GradScaler: float16 training without underflowing gradients, as PyTorch's.

The loss is multiplied by a scale before backward, so that small gradients stay
representable in float16. Before the optimizer steps, the gradients are divided by it
again; a step whose gradients hold an inf or NaN (the scale was too large) is skipped and
the scale shrinks, and after growth_interval clean steps it grows."""
import warnings

_READY, _UNSCALED, _STEPPED = 0, 1, 2


def _unscale_and_check_(grads, inv_scale):
    """Multiplies each gradient by inv_scale in place; returns a one-element float32 tensor
    on inv_scale's device, 1 where some gradient held an inf or NaN. One kernel call per
    device and dtype (_amp_foreach_non_finite_check_and_unscale_); nothing waits for the
    device."""
    from .. import _C, zeros, float32
    found = zeros((1,), dtype=float32, device=inv_scale.device)
    by_device = {}
    for g in grads:
        by_device.setdefault(str(g.device), []).append(g)
    for device, group in by_device.items():
        found_here = found if device == str(found.device) else zeros((1,), dtype=float32, device=device)
        _C._amp_foreach_non_finite_check_and_unscale_(group, found_here, inv_scale.to(device))
        if found_here is not found:
            found = found.maximum(found_here.to(found.device))
    return found


def _update_scale_(scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval):
    """PyTorch's _amp_update_scale_, on the device: back off after an inf, grow after
    growth_interval clean steps in a row (unless that would overflow)."""
    from .. import where
    found = found_inf > 0
    tracker = where(found, 0, growth_tracker + 1)
    grown = scale * growth_factor
    grow = (tracker >= growth_interval).logical_and(grown.isfinite())
    scale.copy_(where(found, scale * backoff_factor, where(grow, grown, scale)))
    growth_tracker.copy_(where(found.logical_or(tracker >= growth_interval), 0, tracker))


class GradScaler:
    def __init__(self, device: str = "cuda", init_scale: float = 2.0 ** 16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True):
        from .. import cuda
        self._device = device
        if enabled and device == "cuda" and not cuda.is_available():
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.")
            enabled = False
        self._enabled = bool(enabled)
        if self._enabled:
            if growth_factor <= 1.0:
                raise ValueError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise ValueError("The backoff factor must be < 1.0.")
        self._init_scale = float(init_scale)
        self._growth_factor = float(growth_factor)
        self._backoff_factor = float(backoff_factor)
        self._growth_interval = int(growth_interval)
        self._scale = None           # a one-element float32 tensor on the device, made by the first scale()
        self._growth_tracker = None  # clean steps in a row, an int32 tensor beside it
        self._init_growth_tracker = 0
        self._per_optimizer = {}     # id(optimizer) -> {"stage": ..., "found_inf": tensor or None}

    # --- scaling -------------------------------------------------------------------------------
    def _lazy_init(self, device):
        from .. import full, float32, int32
        self._scale = full((1,), self._init_scale, dtype=float32, device=device)
        self._growth_tracker = full((1,), self._init_growth_tracker, dtype=int32, device=device)

    def scale(self, outputs):
        """outputs (a tensor, or nested lists and tuples of them) times the current scale."""
        if not self._enabled:
            return outputs
        from .. import Tensor
        if isinstance(outputs, Tensor):
            if self._scale is None:
                self._lazy_init(outputs.device)
            return outputs * self._scale.to(outputs.device)
        if isinstance(outputs, (list, tuple)):
            scaled = [self.scale(o) for o in outputs]
            return type(outputs)(scaled) if isinstance(outputs, tuple) else scaled
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def _state(self, optimizer):
        return self._per_optimizer.setdefault(id(optimizer), {"stage": _READY, "found_inf": None})

    def unscale_(self, optimizer):
        """Divides optimizer's gradients by the scale, in place, and records whether any is inf or NaN."""
        if not self._enabled:
            return
        state = self._state(optimizer)
        if state["stage"] == _UNSCALED:
            raise RuntimeError("unscale_() has already been called on this optimizer since the last update().")
        if state["stage"] == _STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        if self._scale is None:
            raise RuntimeError("Attempted unscale_ but _scale is None.  This may indicate your script did not use "
                               "scaler.scale(loss or outputs) earlier in the iteration.")
        from .. import float16
        grads = []
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.grad.dtype == float16:
                    raise ValueError("Attempting to unscale FP16 gradients.")
                grads.append(p.grad)
        state["found_inf"] = _unscale_and_check_(grads, self._scale.double().reciprocal().float())
        state["stage"] = _UNSCALED

    def step(self, optimizer, *args, **kwargs):
        """optimizer.step(), unless the gradients held an inf or NaN; unscales them first if
        unscale_ was not called."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        state = self._state(optimizer)
        if state["stage"] == _STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] == _READY:
            self.unscale_(optimizer)
        result = None
        if not state["found_inf"].item():
            result = optimizer.step(*args, **kwargs)
        state["stage"] = _STEPPED
        return result

    def update(self, new_scale=None):
        """The scale for the next iteration: new_scale if given, otherwise backed off after a
        skipped step or grown after growth_interval clean ones."""
        if not self._enabled:
            return
        from .. import Tensor
        if new_scale is not None:
            if isinstance(new_scale, Tensor):
                if new_scale.numel() != 1 or new_scale.requires_grad:
                    raise ValueError("new_scale should be a one-element tensor that does not require grad.")
                self._scale.copy_(new_scale.reshape(1))
            else:
                self._scale.fill_(float(new_scale))
        else:
            found = [s["found_inf"] for s in self._per_optimizer.values() if s["found_inf"] is not None]
            if not found:
                raise RuntimeError("No inf checks were recorded prior to update.")
            found_inf = found[0]
            for f in found[1:]:
                found_inf = found_inf + f.to(found_inf.device)
            _update_scale_(self._scale, self._growth_tracker, found_inf, self._growth_factor,
                           self._backoff_factor, self._growth_interval)
        self._per_optimizer = {}

    # --- accessors -----------------------------------------------------------------------------
    def get_scale(self) -> float:
        if not self._enabled:
            return 1.0
        return self._init_scale if self._scale is None else self._scale.item()

    def get_growth_factor(self):
        return self._growth_factor

    def set_growth_factor(self, new_factor):
        self._growth_factor = float(new_factor)

    def get_backoff_factor(self):
        return self._backoff_factor

    def set_backoff_factor(self, new_factor):
        self._backoff_factor = float(new_factor)

    def get_growth_interval(self):
        return self._growth_interval

    def set_growth_interval(self, new_interval):
        self._growth_interval = int(new_interval)

    def _get_growth_tracker(self):
        if not self._enabled:
            return 0
        return 0 if self._growth_tracker is None else int(self._growth_tracker.item())

    def is_enabled(self) -> bool:
        return self._enabled

    def state_dict(self):
        if not self._enabled:
            return {}
        return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor, "growth_interval": self._growth_interval,
                "_growth_tracker": self._get_growth_tracker()}

    def load_state_dict(self, state_dict):
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._init_scale = float(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._init_growth_tracker = int(state_dict["_growth_tracker"])
        if self._scale is not None:
            self._scale.fill_(self._init_scale)
            self._growth_tracker.fill_(self._init_growth_tracker)

    def __getstate__(self):
        state = self.__dict__.copy()
        if self._enabled:
            if len(self._per_optimizer) > 0:
                raise RuntimeError("A GradScaler instance may only be pickled at the beginning of an iteration, "
                                   "or at the end after scaler.update().")
            state["_init_scale"] = self.get_scale()
            state["_init_growth_tracker"] = self._get_growth_tracker()
            state["_scale"] = None
            state["_growth_tracker"] = None
        return state
