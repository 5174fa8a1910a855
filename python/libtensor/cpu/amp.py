"""libtensor.cpu.amp: torch.cpu.amp's autocast, bfloat16 unless dtype says otherwise."""
from .. import amp as _amp


class autocast(_amp.autocast):
    def __init__(self, enabled: bool = True, dtype=None, cache_enabled: bool = True):
        from .. import bfloat16
        super().__init__("cpu", dtype=bfloat16 if dtype is None else dtype, enabled=enabled,
                         cache_enabled=cache_enabled)
