// An out-of-tree operator library: it defines myext::scaled_add (a + k * b) with a CPU
// kernel and its derivative, and overrides the CPU kernel of the built-in operator "frac" (so the test can
// see an override take effect), using only libtensor's public headers.
#include <libtensor/libtensor.h>

namespace myext {

// The kernel: tensors = {out, a, b}, args = {k}; contiguous float32 only.
void scaled_add_cpu(std::span<lt::Tensor> t, lt::ScalarList args) {
  const float k = args[0].to<float>();
  float* out = t[0].data_ptr<float>();
  const float* a = t[1].data_ptr<float>();
  const float* b = t[2].data_ptr<float>();
  for (int64_t i = 0; i < t[0].numel(); ++i) out[i] = a[i] + k * b[i];
}

// The definition: checks, output, dispatch. The same on every device.
lt::Tensor scaled_add(const lt::Tensor& a, const lt::Tensor& b, double k) {
  static const lt::Op<lt::TensorKernel> op("myext::scaled_add");
  LT_CHECK(a.sizes() == b.sizes(), ShapeError, "myext::scaled_add", "shapes ", lt::str(a.sizes()), " and ",
           lt::str(b.sizes()), " differ");
  LT_CHECK(a.dtype() == lt::DType::Float32 && b.dtype() == lt::DType::Float32, DTypeError, "myext::scaled_add",
           "expects float32 tensors");
  lt::Tensor out = lt::empty(a.sizes(), a.dtype(), a.device());
  lt::Tensor tensors[] = {out, a.contiguous(), b.contiguous()};
  const lt::Scalar args[] = {k};
  op.kernel(a.device().type)(std::span<lt::Tensor>(tensors), lt::ScalarList(args));
  // d/da = 1, d/db = k: the operator brings its derivative, written with lt operators.
  lt::autograd::record("myext::scaled_add", {a, b}, {out}, {}, [k](const lt::autograd::Backward& d) {
    return lt::autograd::TensorList{d.grad(), d.grad() * k};
  });
  return out;
}

// Replaces frac's CPU kernel with one that writes 42 everywhere.
void frac_override(lt::TensorIterator& iter, lt::ScalarList) {
  float* out = static_cast<float*>(iter.output().data());
  for (int64_t i = 0; i < iter.output().numel(); ++i) out[i] = 42.0f;
}

}  // namespace myext

LT_DEFINE_OPERATOR("myext::scaled_add", myext::scaled_add, lt::TensorKernel);
LT_REGISTER_KERNEL("myext::scaled_add", CPU, lt::TensorKernel, myext::scaled_add_cpu);
LT_REGISTER_KERNEL("frac", CPU, lt::IterKernel, myext::frac_override);
