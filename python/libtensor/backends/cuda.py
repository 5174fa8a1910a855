"""libtensor.backends.cuda: matmul.allow_tf32, read by the CUDA backend's matrix products."""


class _MatmulFlags:
    """TF32 in float32 matrix products (off by default, as in PyTorch)."""

    def __init__(self):
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True


matmul = _MatmulFlags()


def is_built():
    return False
