"""The layers of libtensor.nn, one file per concept."""
from .module import Module  # noqa: F401
from .container import Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict  # noqa: F401
from .linear import Identity, Linear, Bilinear  # noqa: F401
from .conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d  # noqa: F401
from .pooling import (MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, MaxPool1d, AvgPool1d,  # noqa: F401
                      AdaptiveAvgPool1d, AdaptiveMaxPool1d)
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, RMSNorm, LocalResponseNorm  # noqa: F401
from .instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d  # noqa: F401
from .activation import (ReLU, GELU, SiLU, Mish, Softplus, LeakyReLU, ELU, SELU, Hardtanh, ReLU6,  # noqa: F401
                         Hardswish, LogSigmoid, Sigmoid, Tanh, Softmax, LogSoftmax)
from .activation_more import (GLU, Hardsigmoid, Softsign, Softmin, Softshrink, Hardshrink, Tanhshrink,  # noqa: F401
                              Threshold, CELU, PReLU, Softmax2d)
from .loss import (MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,  # noqa: F401
                   NLLLoss, CrossEntropyLoss, MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss,
                   MultiLabelSoftMarginLoss, CosineEmbeddingLoss, TripletMarginLoss, PoissonNLLLoss, GaussianNLLLoss,
                   MultiMarginLoss)
from .dropout import Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout  # noqa: F401
from .sparse import Embedding  # noqa: F401
from .flatten import Flatten, Unflatten  # noqa: F401
from .padding import (ConstantPad1d, ConstantPad2d, ConstantPad3d, ZeroPad2d, ReflectionPad1d,  # noqa: F401
                      ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d)
from .shuffle import PixelShuffle, PixelUnshuffle, ChannelShuffle  # noqa: F401
from .upsampling import Upsample, UpsamplingNearest2d, UpsamplingBilinear2d  # noqa: F401
from .distance import CosineSimilarity, PairwiseDistance  # noqa: F401
from .transformer import MultiheadAttention, TransformerEncoderLayer, TransformerEncoder  # noqa: F401
from .rnn import RNNBase, RNN, LSTM, GRU  # noqa: F401
from .rnn_cell import RNNCellBase, RNNCell, LSTMCell, GRUCell  # noqa: F401
from .transformer_more import TransformerDecoderLayer, TransformerDecoder, Transformer  # noqa: F401
from .fold import Unfold, Fold  # noqa: F401
from .pooling_more import LPPool1d, LPPool2d  # noqa: F401
from .activation_random import RReLU  # noqa: F401
from .loss_more import MultiLabelMarginLoss, TripletMarginWithDistanceLoss  # noqa: F401
from .embedding_bag import EmbeddingBag  # noqa: F401

__all__ = ["Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Identity", "Linear",
           "Bilinear", "Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d",
           "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "MaxPool1d", "AvgPool1d", "AdaptiveAvgPool1d", "AdaptiveMaxPool1d",
           "BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm", "RMSNorm", "LocalResponseNorm", "InstanceNorm1d",
           "InstanceNorm2d", "InstanceNorm3d", "ReLU", "GELU", "SiLU", "Mish", "Softplus", "LeakyReLU", "ELU", "SELU",
           "Hardtanh", "ReLU6", "Hardswish", "LogSigmoid", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "GLU",
           "Hardsigmoid", "Softsign", "Softmin", "Softshrink", "Hardshrink", "Tanhshrink", "Threshold", "CELU", "PReLU",
           "Softmax2d", "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "KLDivLoss",
           "NLLLoss", "CrossEntropyLoss", "MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss",
           "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss", "TripletMarginLoss", "PoissonNLLLoss", "GaussianNLLLoss",
           "MultiMarginLoss", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
           "Embedding", "Flatten", "Unflatten", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad2d",
           "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
           "ReplicationPad3d", "PixelShuffle", "PixelUnshuffle", "ChannelShuffle", "Upsample", "UpsamplingNearest2d",
           "UpsamplingBilinear2d", "CosineSimilarity", "PairwiseDistance", "MultiheadAttention",
           "TransformerEncoderLayer", "TransformerEncoder", "RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell",
           "LSTMCell", "GRUCell", "TransformerDecoderLayer", "TransformerDecoder", "Transformer", "Unfold", "Fold",
           "LPPool1d", "LPPool2d", "RReLU", "MultiLabelMarginLoss", "TripletMarginWithDistanceLoss", "EmbeddingBag"]
