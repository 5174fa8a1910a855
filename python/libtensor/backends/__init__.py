"""libtensor.backends: switches PyTorch programs set for CUDA (TF32, cuDNN)."""
from . import cuda, cudnn  # noqa: F401
