"""libtensor.amp: automatic mixed precision (autocast regions and GradScaler), as torch.amp."""
from .autocast_mode import autocast, is_autocast_available  # noqa: F401
from .grad_scaler import GradScaler  # noqa: F401
