"""libtensor.backends.cuda: matmul.allow_tf32 and preferred_blas_library, read by the GPU
backend's matrix products."""


from .. import _C


class _MatmulFlags:
    """TF32 in float32 matrix products (off by default, as in PyTorch)."""

    def __init__(self):
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True

    @property
    def allow_tf32(self):
        return _C._get_backend_flag("allow_tf32")

    @allow_tf32.setter
    def allow_tf32(self, on):
        _C._set_backend_flag("allow_tf32", bool(on))


matmul = _MatmulFlags()


def is_built():
    return _C._cuda_is_built()


def preferred_blas_library(backend=None):
    """Which library GPU matrix products (and the convolutions built on them) use: "cublas"
    (the default where the build has it) or "own", libtensor's tiled kernel, which ROCm
    builds always use. With no argument, says which is in effect."""
    if backend is not None:
        name = str(backend).lower()
        if name not in ("cublas", "default", "own"):
            raise ValueError(f"preferred_blas_library: expected 'cublas', 'default' or 'own', got {backend!r}")
        _C._set_backend_flag("own_gemm", name == "own")
    return "own" if _C._get_backend_flag("own_gemm") else "cublas"
