// Convolutions on cuDNN 9, loaded at run time: where libcudnn.so.9 loads (it comes with
// PyTorch's CUDA wheels), conv2d and its two adjoints run cuDNN's kernels; where it does
// not, or lt.backends.cudnn.enabled is off, conv_kernels.cu's im2col kernels run. Loading
// it late keeps a CUDA build of libtensor usable on machines without cuDNN. ROCm builds
// leave this file out (Debian has no MIOpen).
//
// Algorithms come from cuDNN's heuristics, or with lt.backends.cudnn.benchmark from
// timing them once per shape, as in PyTorch; deterministic mode takes only deterministic
// ones. Descriptors and choices are kept per shape.
#include <cudnn.h>
#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <climits>
#include <map>
#include <optional>
#include <tuple>

#include "conv.h"
#include "gpu.h"
#include "libtensor/deterministic.h"
#include "libtensor/device_runtime.h"
#include "libtensor/ops.h"

namespace lt::gpu {

namespace {

using common::Conv;

// The entry points this file calls, each named once: declared as members of the same
// type as cudnn.h's, and resolved from the library by the same name.
#define LT_CUDNN_ENTRY_POINTS(X)                                                                            \
  X(cudnnGetVersion) X(cudnnGetErrorString) X(cudnnCreate) X(cudnnSetStream) X(cudnnCreateTensorDescriptor) \
  X(cudnnSetTensor4dDescriptor) X(cudnnCreateFilterDescriptor) X(cudnnSetFilter4dDescriptor)              \
  X(cudnnCreateConvolutionDescriptor) X(cudnnSetConvolution2dDescriptor) X(cudnnSetConvolutionGroupCount)  \
  X(cudnnDestroyTensorDescriptor) X(cudnnDestroyFilterDescriptor) X(cudnnDestroyConvolutionDescriptor)      \
  X(cudnnSetConvolutionMathType) X(cudnnAddTensor) X(cudnnGetConvolutionForwardAlgorithm_v7)              \
  X(cudnnFindConvolutionForwardAlgorithmEx) X(cudnnConvolutionForward)                                    \
  X(cudnnGetConvolutionBackwardDataAlgorithm_v7) X(cudnnFindConvolutionBackwardDataAlgorithmEx)            \
  X(cudnnConvolutionBackwardData) X(cudnnGetConvolutionBackwardFilterAlgorithm_v7)                        \
  X(cudnnFindConvolutionBackwardFilterAlgorithmEx) X(cudnnConvolutionBackwardFilter)

struct Library {
#define LT_CUDNN_MEMBER(name) decltype(&::name) name = nullptr;
  LT_CUDNN_ENTRY_POINTS(LT_CUDNN_MEMBER)
#undef LT_CUDNN_MEMBER
  bool loaded = false;
};

// Null where the library or one of its entry points is missing.
const Library* cudnn() {
  static const Library lib = [] {
    Library l;
    void* so = dlopen("libcudnn.so.9", RTLD_NOW | RTLD_LOCAL);
    if (!so) return l;
    bool all = true;
#define LT_CUDNN_RESOLVE(name) all = all && (l.name = reinterpret_cast<decltype(l.name)>(dlsym(so, #name)));
    LT_CUDNN_ENTRY_POINTS(LT_CUDNN_RESOLVE)
#undef LT_CUDNN_RESOLVE
    l.loaded = all && l.cudnnGetVersion() >= 90000;
    return l;
  }();
  return lib.loaded ? &lib : nullptr;
}

int cudnn_version() { return cudnn() ? static_cast<int>(cudnn()->cudnnGetVersion()) : 0; }

const char* pass_name(ConvPass pass) {
  return pass == ConvPass::Forward ? "conv2d" : pass == ConvPass::InputGrad ? "conv2d_input_grad" : "conv2d_weight_grad";
}

void check(cudnnStatus_t status, ConvPass pass) {
  LT_CHECK(status == CUDNN_STATUS_SUCCESS, DeviceError, pass_name(pass), "cuDNN failed: ",
           cudnn()->cudnnGetErrorString(status));
}

cudnnHandle_t handle_for(int device) {
  thread_local std::array<cudnnHandle_t, 64> handles{};
  cudnnHandle_t& h = handles[device];
  if (!h && cudnn()->cudnnCreate(&h) != CUDNN_STATUS_SUCCESS) h = nullptr;
  return h;
}

// An algorithm and what it needs; algo < 0 when none fits.
struct Choice {
  int algo = -1;
  size_t workspace = 0;
  cudnnMathType_t math = CUDNN_DEFAULT_MATH;
};

// One shape's descriptors and, per pass, the algorithm chosen for it.
struct Plan {
  cudnnTensorDescriptor_t x = nullptr, y = nullptr, bias = nullptr;
  cudnnFilterDescriptor_t w = nullptr;
  cudnnConvolutionDescriptor_t conv = nullptr;
  std::array<std::optional<Choice>, 3> choices;
  bool usable = false;

  Plan() = default;
  Plan(const Plan&) = delete;
  Plan& operator=(const Plan&) = delete;
  ~Plan() {
    const Library& l = *cudnn();
    for (cudnnTensorDescriptor_t t : {x, y, bias}) {
      if (t) l.cudnnDestroyTensorDescriptor(t);
    }
    if (w) l.cudnnDestroyFilterDescriptor(w);
    if (conv) l.cudnnDestroyConvolutionDescriptor(conv);
  }
};

// Plans kept per thread; beyond this many shapes they are dropped and made again.
constexpr size_t kMaxPlans = 256;

// Workspace beyond this is not worth its memory.
constexpr size_t kMaxWorkspace = size_t{1} << 30;

// The three passes differ only in which cuDNN functions they call and in what order
// those take the descriptors.
template <ConvPass P>
struct Calls;

template <>
struct Calls<ConvPass::Forward> {
  using Perf = cudnnConvolutionFwdAlgoPerf_t;
  static constexpr int kCount = CUDNN_CONVOLUTION_FWD_ALGO_COUNT;
  static cudnnStatus_t heuristics(const Library& l, cudnnHandle_t h, const Plan& p, int* n, Perf* perf) {
    return l.cudnnGetConvolutionForwardAlgorithm_v7(h, p.x, p.w, p.conv, p.y, kCount, n, perf);
  }
  static cudnnStatus_t find(const Library& l, cudnnHandle_t h, const Plan& p, const void* in0, const void* in1,
                            void* out, int* n, Perf* perf, void* ws, size_t size) {
    return l.cudnnFindConvolutionForwardAlgorithmEx(h, p.x, in0, p.w, in1, p.conv, p.y, out, kCount, n, perf, ws, size);
  }
  static cudnnStatus_t run(const Library& l, cudnnHandle_t h, const Plan& p, const void* one, const void* in0,
                           const void* in1, int algo, void* ws, size_t size, const void* zero, void* out) {
    return l.cudnnConvolutionForward(h, one, p.x, in0, p.w, in1, p.conv, static_cast<cudnnConvolutionFwdAlgo_t>(algo),
                                     ws, size, zero, p.y, out);
  }
};

template <>
struct Calls<ConvPass::InputGrad> {
  using Perf = cudnnConvolutionBwdDataAlgoPerf_t;
  static constexpr int kCount = CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT;
  static cudnnStatus_t heuristics(const Library& l, cudnnHandle_t h, const Plan& p, int* n, Perf* perf) {
    return l.cudnnGetConvolutionBackwardDataAlgorithm_v7(h, p.w, p.y, p.conv, p.x, kCount, n, perf);
  }
  static cudnnStatus_t find(const Library& l, cudnnHandle_t h, const Plan& p, const void* dy, const void* w, void* dx,
                            int* n, Perf* perf, void* ws, size_t size) {
    return l.cudnnFindConvolutionBackwardDataAlgorithmEx(h, p.w, w, p.y, dy, p.conv, p.x, dx, kCount, n, perf, ws, size);
  }
  static cudnnStatus_t run(const Library& l, cudnnHandle_t h, const Plan& p, const void* one, const void* dy,
                           const void* w, int algo, void* ws, size_t size, const void* zero, void* dx) {
    return l.cudnnConvolutionBackwardData(h, one, p.w, w, p.y, dy, p.conv,
                                          static_cast<cudnnConvolutionBwdDataAlgo_t>(algo), ws, size, zero, p.x, dx);
  }
};

template <>
struct Calls<ConvPass::WeightGrad> {
  using Perf = cudnnConvolutionBwdFilterAlgoPerf_t;
  static constexpr int kCount = CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT;
  static cudnnStatus_t heuristics(const Library& l, cudnnHandle_t h, const Plan& p, int* n, Perf* perf) {
    return l.cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, p.x, p.y, p.conv, p.w, kCount, n, perf);
  }
  static cudnnStatus_t find(const Library& l, cudnnHandle_t h, const Plan& p, const void* dy, const void* x, void* dw,
                            int* n, Perf* perf, void* ws, size_t size) {
    return l.cudnnFindConvolutionBackwardFilterAlgorithmEx(h, p.x, x, p.y, dy, p.conv, p.w, dw, kCount, n, perf, ws,
                                                          size);
  }
  static cudnnStatus_t run(const Library& l, cudnnHandle_t h, const Plan& p, const void* one, const void* dy,
                           const void* x, int algo, void* ws, size_t size, const void* zero, void* dw) {
    return l.cudnnConvolutionBackwardFilter(h, one, p.x, x, p.y, dy, p.conv,
                                            static_cast<cudnnConvolutionBwdFilterAlgo_t>(algo), ws, size, zero, p.w,
                                            dw);
  }
};

// Undefined where none is needed, and where the device has no room for it (the callers
// tell the two apart by the size they asked for).
Tensor workspace_of(size_t bytes, int device) {
  if (bytes == 0) return Tensor();
  try {
    return empty({static_cast<int64_t>(bytes)}, DType::UInt8, Device(DeviceType::CUDA, static_cast<int16_t>(device)));
  } catch (const OutOfMemoryError&) {
    return Tensor();
  }
}

// The first of cuDNN's ranked results that ran, fits, is deterministic where it must be,
// and keeps to FMA where TF32 is not allowed.
template <class Perf>
Choice first_fit(const Perf* perf, int n, cudnnMathType_t math) {
  const bool deterministic = are_deterministic_algorithms_enabled() || backend_flags().cudnn_deterministic;
  for (int i = 0; i < n; ++i) {
    if (perf[i].status != CUDNN_STATUS_SUCCESS || perf[i].memory > kMaxWorkspace) continue;
    if (deterministic && perf[i].determinism != CUDNN_DETERMINISTIC) continue;
    if (math == CUDNN_FMA_MATH && perf[i].mathType != CUDNN_FMA_MATH) continue;
    return Choice{static_cast<int>(perf[i].algo), perf[i].memory, perf[i].mathType};
  }
  return Choice{};
}

// The descriptor must hold the plan's own math type: an earlier pass leaves its choice's.
template <ConvPass P>
Choice choose(const Library& l, cudnnHandle_t h, const Plan& p, cudnnMathType_t math, const void* in0,
              const void* in1, void* out, int device) {
  using C = Calls<P>;
  typename C::Perf perf[C::kCount];
  int n = 0;
  if (C::heuristics(l, h, p, &n, perf) != CUDNN_STATUS_SUCCESS) return Choice{};
  if (!backend_flags().cudnn_benchmark) return first_fit(perf, n, math);
  // Timed: with as much workspace as the heuristics' candidates want, within the limit.
  size_t most = 0;
  for (int i = 0; i < n; ++i) {
    if (perf[i].status == CUDNN_STATUS_SUCCESS && perf[i].memory <= kMaxWorkspace) most = std::max(most, perf[i].memory);
  }
  Tensor ws = workspace_of(most, device);
  if (!ws.defined()) most = 0;  // no room: time those that need none
  int timed = 0;
  if (C::find(l, h, p, in0, in1, out, &timed, perf, ws.defined() ? ws.data() : nullptr, most) != CUDNN_STATUS_SUCCESS) {
    return Choice{};
  }
  return first_fit(perf, timed, math);
}

bool data_type(DType dtype, cudnnDataType_t& type, cudnnDataType_t& compute, cudnnMathType_t& math) {
  switch (dtype) {
    case DType::Float32:
      type = compute = CUDNN_DATA_FLOAT;
      math = backend_flags().cudnn_allow_tf32 ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH;
      return true;
    case DType::Float64: type = compute = CUDNN_DATA_DOUBLE, math = CUDNN_DEFAULT_MATH; return true;
    case DType::Float16: type = CUDNN_DATA_HALF, compute = CUDNN_DATA_FLOAT, math = CUDNN_TENSOR_OP_MATH; return true;
    case DType::BFloat16: type = CUDNN_DATA_BFLOAT16, compute = CUDNN_DATA_FLOAT, math = CUDNN_TENSOR_OP_MATH; return true;
    default: return false;
  }
}

void make_plan(Plan& p, const Library& l, const Conv& s, cudnnDataType_t type, cudnnDataType_t compute,
               cudnnMathType_t math) {
  const auto i = [](int64_t v) { return static_cast<int>(v); };
  p.usable =
      l.cudnnCreateTensorDescriptor(&p.x) == CUDNN_STATUS_SUCCESS &&
      l.cudnnSetTensor4dDescriptor(p.x, CUDNN_TENSOR_NCHW, type, i(s.n), i(s.c), i(s.h), i(s.w)) == CUDNN_STATUS_SUCCESS &&
      l.cudnnCreateTensorDescriptor(&p.y) == CUDNN_STATUS_SUCCESS &&
      l.cudnnSetTensor4dDescriptor(p.y, CUDNN_TENSOR_NCHW, type, i(s.n), i(s.o), i(s.oh), i(s.ow)) ==
          CUDNN_STATUS_SUCCESS &&
      l.cudnnCreateTensorDescriptor(&p.bias) == CUDNN_STATUS_SUCCESS &&
      l.cudnnSetTensor4dDescriptor(p.bias, CUDNN_TENSOR_NCHW, type, 1, i(s.o), 1, 1) == CUDNN_STATUS_SUCCESS &&
      l.cudnnCreateFilterDescriptor(&p.w) == CUDNN_STATUS_SUCCESS &&
      l.cudnnSetFilter4dDescriptor(p.w, type, CUDNN_TENSOR_NCHW, i(s.o), i(s.cg()), i(s.kh), i(s.kw)) ==
          CUDNN_STATUS_SUCCESS &&
      l.cudnnCreateConvolutionDescriptor(&p.conv) == CUDNN_STATUS_SUCCESS &&
      l.cudnnSetConvolution2dDescriptor(p.conv, i(s.ph), i(s.pw), i(s.sh), i(s.sw), i(s.dh), i(s.dw),
                                        CUDNN_CROSS_CORRELATION, compute) == CUDNN_STATUS_SUCCESS &&
      l.cudnnSetConvolutionGroupCount(p.conv, i(s.groups)) == CUDNN_STATUS_SUCCESS &&
      l.cudnnSetConvolutionMathType(p.conv, math) == CUDNN_STATUS_SUCCESS;
}

// cuDNN's legacy API counts in int.
bool fits_int(const Conv& s) {
  const int64_t most = std::max({s.n * s.c * s.h * s.w, s.n * s.o * s.oh * s.ow, s.o * s.k()});
  return most <= INT_MAX;
}

using PlanKey = std::tuple<std::array<int64_t, 16>, DType, int, cudnnMathType_t, bool, bool>;

template <ConvPass P>
bool convolve(const Library& l, const Conv& s, DType dtype, int device, const void* in0, const void* in1,
              const void* bias, void* out) {
  cudnnDataType_t type, compute;
  cudnnMathType_t math;
  if (!data_type(dtype, type, compute, math) || !fits_int(s)) return false;
  cudnnHandle_t h = handle_for(device);
  if (!h || l.cudnnSetStream(h, current_stream(device)) != CUDNN_STATUS_SUCCESS) return false;
  thread_local std::map<PlanKey, Plan> plans;
  const PlanKey key{{s.n, s.c, s.h, s.w, s.o, s.kh, s.kw, s.oh, s.ow, s.sh, s.sw, s.ph, s.pw, s.dh, s.dw, s.groups},
                    dtype,
                    device,
                    math,
                    are_deterministic_algorithms_enabled() || backend_flags().cudnn_deterministic,
                    backend_flags().cudnn_benchmark};
  auto it = plans.find(key);
  if (it == plans.end()) {
    if (plans.size() >= kMaxPlans) plans.clear();
    it = plans.try_emplace(key).first;
    make_plan(it->second, l, s, type, compute, math);
  }
  Plan& p = it->second;
  if (!p.usable) return false;
  std::optional<Choice>& chosen = p.choices[static_cast<int>(P)];
  if (!chosen) {
    if (l.cudnnSetConvolutionMathType(p.conv, math) != CUDNN_STATUS_SUCCESS) return false;
    chosen = choose<P>(l, h, p, math, in0, in1, out, device);
  }
  if (chosen->algo < 0) return false;
  Tensor ws = workspace_of(chosen->workspace, device);
  if (chosen->workspace > 0 && !ws.defined()) return false;  // no room this time
  // The heuristics rank algorithms by math type too; run the one chosen with its own.
  check(l.cudnnSetConvolutionMathType(p.conv, chosen->math), P);
  const double one_d = 1, zero_d = 0;
  const float one_f = 1, zero_f = 0;
  const bool wide = dtype == DType::Float64;
  const void* one = wide ? static_cast<const void*>(&one_d) : &one_f;
  const void* zero = wide ? static_cast<const void*>(&zero_d) : &zero_f;
  const cudnnStatus_t status = Calls<P>::run(l, h, p, one, in0, in1, chosen->algo, ws.defined() ? ws.data() : nullptr,
                                             chosen->workspace, zero, out);
  if (status >= CUDNN_STATUS_BAD_PARAM && status < CUDNN_STATUS_INTERNAL_ERROR) {
    // Refused before it ran. Refusals of this call's pointers or stream say nothing of
    // the shape; any other sends the shape to the own kernels from now on.
    const bool this_call = status == CUDNN_STATUS_BAD_PARAM_MISALIGNED_POINTER ||
                           status == CUDNN_STATUS_BAD_PARAM_STREAM_MISMATCH ||
                           status == CUDNN_STATUS_BAD_PARAM_CUDA_GRAPH_MISMATCH ||
                           status == CUDNN_STATUS_NOT_SUPPORTED_CUDA_GRAPH_NATIVE_API;
    if (!this_call) chosen->algo = -1;
    return false;
  }
  check(status, P);
  if (P == ConvPass::Forward && bias) check(l.cudnnAddTensor(h, one, p.bias, bias, one, p.y, out), P);
  return true;
}

bool cudnn_conv(ConvPass pass, const Conv& s, DType dtype, int device, const void* in0, const void* in1,
                const void* bias, void* out) {
  const Library* l = cudnn();
  if (!l || !backend_flags().cudnn_enabled) return false;
  switch (pass) {
    case ConvPass::Forward: return convolve<ConvPass::Forward>(*l, s, dtype, device, in0, in1, bias, out);
    case ConvPass::InputGrad: return convolve<ConvPass::InputGrad>(*l, s, dtype, device, in0, in1, bias, out);
    case ConvPass::WeightGrad: return convolve<ConvPass::WeightGrad>(*l, s, dtype, device, in0, in1, bias, out);
  }
  return false;
}

[[maybe_unused]] const bool registered = set_vendor_conv(&cudnn_conv, &cudnn_version);

}  // namespace
}  // namespace lt::gpu
