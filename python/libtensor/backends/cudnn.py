"""libtensor.backends.cudnn: the cuDNN switches PyTorch programs set."""
allow_tf32 = True
enabled = True
benchmark = False
deterministic = False


def is_available():
    return False


def version():
    return None
