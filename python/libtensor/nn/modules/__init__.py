"""The layers of libtensor.nn, one file per concept."""
from .module import Module  # noqa: F401
from .container import Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict  # noqa: F401
from .linear import Identity, Linear, Bilinear  # noqa: F401
from .conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d  # noqa: F401
from .pooling import MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d  # noqa: F401
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, RMSNorm  # noqa: F401
from .activation import (ReLU, GELU, SiLU, Mish, Softplus, LeakyReLU, ELU, SELU, Hardtanh, ReLU6,  # noqa: F401
                         Hardswish, LogSigmoid, Sigmoid, Tanh, Softmax, LogSoftmax)
from .loss import (MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,  # noqa: F401
                   NLLLoss, CrossEntropyLoss)
from .dropout import Dropout  # noqa: F401
from .sparse import Embedding  # noqa: F401
from .flatten import Flatten, Unflatten  # noqa: F401
from .transformer import MultiheadAttention, TransformerEncoderLayer, TransformerEncoder  # noqa: F401
from .rnn import RNNBase, RNN, LSTM, GRU  # noqa: F401

__all__ = ["Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Identity",
           "Linear", "Bilinear", "Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d",
           "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm",
           "RMSNorm", "ReLU", "GELU", "SiLU", "Mish", "Softplus", "LeakyReLU", "ELU", "SELU", "Hardtanh", "ReLU6",
           "Hardswish", "LogSigmoid", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "MSELoss", "L1Loss",
           "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "KLDivLoss", "NLLLoss", "CrossEntropyLoss",
           "Dropout", "Embedding", "Flatten", "Unflatten", "MultiheadAttention", "TransformerEncoderLayer",
           "TransformerEncoder", "RNNBase", "RNN", "LSTM", "GRU"]
