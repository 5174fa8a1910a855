// Convolutions by a vendor library (cuDNN: cudnn_conv.cu), which registers itself at load
// time; conv_kernels.cu offers each convolution to it first and runs its own im2col
// kernels for what it declines, and always where none registered (ROCm builds).
#pragma once

#include "common/conv_geometry.h"
#include "libtensor/dtype.h"

namespace lt::gpu {

enum class ConvPass { Forward, InputGrad, WeightGrad };

// All tensors contiguous (NCHW; the weight (o, c / groups, kh, kw)), on `device`, of `dtype`.
//   Forward:    in0 = x,  in1 = w, out = y (bias, when not null, is added)
//   InputGrad:  in0 = dy, in1 = w, out = dx
//   WeightGrad: in0 = dy, in1 = x, out = dw
// Returns false for what the library declines, and the caller then writes all of `out`
// (timing candidate algorithms may have written it); throws when it fails part way.
using VendorConv = bool (*)(ConvPass pass, const common::Conv& s, DType dtype, int device, const void* in0,
                            const void* in1, const void* bias, void* out);
// version: the library's version as it reports it, 0 where it did not load.
bool set_vendor_conv(VendorConv conv, int (*version)());
// The registered library's version, 0 where there is none.
int vendor_conv_version();

}  // namespace lt::gpu
