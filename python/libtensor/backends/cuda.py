"""libtensor.backends.cuda: matmul.allow_tf32, read by the CUDA backend's matrix products."""


from .. import _C


class _MatmulFlags:
    """TF32 in float32 matrix products (off by default, as in PyTorch)."""

    def __init__(self):
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True

    @property
    def allow_tf32(self):
        return _C._get_allow_tf32()

    @allow_tf32.setter
    def allow_tf32(self, on):
        _C._set_allow_tf32(bool(on))


matmul = _MatmulFlags()


def is_built():
    return _C._cuda_is_built()
