// Random tensors. Kernels get (seed, first counter) and map element i to counter
// blocks by a fixed rule, so the numbers depend on nothing but the seed and the order
// of draws.
#include <limits>

#include "helpers.h"

namespace lt {
namespace {

// Counter blocks a draw of n values uses: each Philox block gives four 32-bit words.
uint64_t blocks_for(int64_t n, int words_per_value) {
  return (static_cast<uint64_t>(n) * words_per_value + 3) / 4;
}

// Draws into t with op. `words` is the number of 32-bit words each element consumes:
// 1, 2 or 4, so that a value never straddles a counter block. `draws`: how many values
// the kernel takes, where that is not one per element of t.
void run_random(const Op<TensorKernel>& op, int words, Tensor& t, std::initializer_list<Scalar> params,
                Generator* gen, std::initializer_list<Tensor> inputs = {}, int64_t draws = -1) {
  autograd::check_inplace(op.name().data(), t);
  Generator& g = gen ? *gen : default_generator(t.device());
  auto [seed, offset] = g.reserve(blocks_for(draws < 0 ? t.numel() : draws, words));
  // Kernel arguments: seed, first block, words per element, then the distribution's.
  std::vector<Scalar> args{static_cast<int64_t>(seed), static_cast<int64_t>(offset), words};
  args.insert(args.end(), params);
  std::vector<Tensor> tensors{t};
  tensors.insert(tensors.end(), inputs);
  // Kernels fill contiguous memory; other layouts fill a temporary first.
  Tensor target = t.is_contiguous() ? t : empty(t.sizes(), t.dtype(), t.device());
  tensors[0] = target;
  dispatch(op, tensors, args);
  if (!target.is_same(t)) {
    autograd::NoGradGuard no_grad;
    t.copy_(target);
  }
  t.bump_version();
  autograd::record_overwrite(op.name().data(), t);
}

const Op<TensorKernel>& bernoulli_op() {
  static const Op<TensorKernel> op("bernoulli_");
  return op;
}

}  // namespace

Tensor& uniform_(Tensor& t, double from, double to, Generator* gen) {
  check_floating("uniform_", t);
  LT_CHECK(from <= to, ValueError, "uniform_", "expects from <= to, got from=", from, " to=", to);
  static const Op<TensorKernel> op("uniform_");
  run_random(op, t.dtype() == DType::Float64 ? 2 : 1, t, {from, to}, gen);
  return t;
}

Tensor& random_(Tensor& t, int64_t from, std::optional<int64_t> to, Generator* gen) {
  // Without `to`: one past the largest integer the dtype holds exactly.
  auto past_largest = [&]() -> int64_t {
    switch (t.dtype()) {
      case DType::Bool: return 2;
      case DType::Float16: return (int64_t{1} << 11) + 1;
      case DType::BFloat16: return (int64_t{1} << 8) + 1;
      case DType::Float32: return (int64_t{1} << 24) + 1;
      case DType::Float64: return (int64_t{1} << 53) + 1;
      case DType::Int64: return std::numeric_limits<int64_t>::max();  // [from, 2^63 - 1)
      default: return visit_dtype(t.dtype(), [](auto tag) {
        return static_cast<int64_t>(std::numeric_limits<decltype(tag)>::max()) + 1;
      });
    }
  };
  const int64_t high = to ? *to : past_largest();
  LT_CHECK(from < high, ValueError, "random_", "expects 'from' to be less than 'to', got from=", from, " to=", high);
  if (t.dtype() != DType::Int64) {
    // Every draw must be a value of the dtype: floats hold the integers up to 2^digits exactly.
    const int64_t lo = is_floating(t.dtype()) ? 1 - past_largest()
                       : t.dtype() == DType::Bool ? 0
                                                  : visit_dtype(t.dtype(), [](auto tag) {
                                                      return static_cast<int64_t>(
                                                          std::numeric_limits<decltype(tag)>::lowest());
                                                    });
    LT_CHECK(from >= lo && high - 1 < past_largest(), ValueError, "random_", "[", from, ", ", high,
             ") does not fit in ", name(t.dtype()));
  }
  static const Op<TensorKernel> op("random_");
  run_random(op, 2, t, {from, high}, gen);
  return t;
}

Tensor& normal_(Tensor& t, double mean, double std, Generator* gen) {
  check_floating("normal_", t);
  LT_CHECK(std >= 0, ValueError, "normal_", "expects std >= 0, got ", std);
  static const Op<TensorKernel> op("normal_");
  // Box-Muller takes two uniforms.
  run_random(op, t.dtype() == DType::Float64 ? 4 : 2, t, {mean, std}, gen);
  return t;
}

Tensor& bernoulli_(Tensor& t, double p, Generator* gen) {
  LT_CHECK(p >= 0 && p <= 1, ValueError, "bernoulli_", "expects 0 <= p <= 1, got ", p);
  Tensor probs = full(t.sizes(), p, DType::Float64, t.device());
  run_random(bernoulli_op(), 1, t, {}, gen, {probs});
  return t;
}

Tensor& exponential_(Tensor& t, double lambd, Generator* gen) {
  check_floating("exponential_", t);
  LT_CHECK(lambd > 0, ValueError, "exponential_", "expects lambd > 0, got ", lambd);
  static const Op<TensorKernel> op("exponential_");
  run_random(op, t.dtype() == DType::Float64 ? 2 : 1, t, {lambd}, gen);
  return t;
}

Tensor& cauchy_(Tensor& t, double median, double sigma, Generator* gen) {
  check_floating("cauchy_", t);
  LT_CHECK(sigma > 0, ValueError, "cauchy_", "expects sigma > 0, got ", sigma);
  static const Op<TensorKernel> op("cauchy_");
  run_random(op, t.dtype() == DType::Float64 ? 2 : 1, t, {median, sigma}, gen);
  return t;
}

Tensor& geometric_(Tensor& t, double p, Generator* gen) {
  LT_CHECK(p > 0 && p < 1, ValueError, "geometric_", "expects 0 < p < 1, got ", p);
  LT_CHECK(t.dtype() != DType::Bool, DTypeError, "geometric_", "is not supported for bool tensors");
  static const Op<TensorKernel> op("geometric_");
  run_random(op, 2, t, {p}, gen);
  return t;
}

// exp of normal draws: a composition of normal_ and exp.
Tensor& log_normal_(Tensor& t, double mean, double std, Generator* gen) {
  check_floating("log_normal_", t);
  LT_CHECK(std > 0, ValueError, "log_normal_", "expects std > 0, got ", std);
  autograd::check_inplace("log_normal_", t);
  Tensor z = empty(t.sizes(), t.dtype() == DType::Float64 ? DType::Float64 : DType::Float32, t.device());
  normal_(z, mean, std, gen);
  {
    autograd::NoGradGuard no_grad;
    t.copy_(exp(z));
  }
  autograd::record_overwrite("log_normal_", t);
  return t;
}

Tensor randperm(int64_t n, DType dtype, Device device, Generator* gen) {
  LT_CHECK(n >= 0, ValueError, "randperm", "n must be non-negative, got ", n);
  LT_CHECK(dtype != DType::Bool || n <= 2, DTypeError, "randperm", "n = ", n, " does not fit bool");
  static const Op<TensorKernel> op("randperm");
  Tensor t = empty({n}, DType::Int64, device);
  run_random(op, 2, t, {}, gen);
  return dtype == DType::Int64 ? t : t.to(dtype);
}

Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement, Generator* gen) {
  LT_CHECK(probs.dim() == 1 || probs.dim() == 2, ShapeError, "multinomial", "prob_dist must be 1 or 2 dim, got shape ",
           str(probs.sizes()));
  LT_CHECK(is_floating(probs.dtype()), DTypeError, "multinomial", "only supports floating-point dtypes for input, got ",
           name(probs.dtype()));
  LT_CHECK(num_samples > 0, ValueError, "multinomial", "cannot sample n_sample <= 0 samples");
  const int64_t k = probs.size(-1);
  LT_CHECK(replacement || num_samples <= k, ValueError, "multinomial", "cannot sample n_sample > prob_dist.size(-1) (",
           num_samples, " > ", k, ") samples without replacement");
  Tensor w = probs.reshape({-1, k}).to(DType::Float64).contiguous();
  const int64_t rows = w.size(0);
  Tensor out = empty({rows, num_samples}, DType::Int64, probs.device());
  if (rows > 0) {
    LT_CHECK(k > 0, ValueError, "multinomial", "the number of categories cannot be zero");
    LT_CHECK(all(logical_and(isfinite(w), w >= 0)).item<bool>(), ValueError, "multinomial",
             "probability tensor contains either `inf`, `nan` or element < 0");
    LT_CHECK(all(sum(w, {1}) > 0).item<bool>(), ValueError, "multinomial",
             "invalid multinomial distribution (sum of probabilities <= 0)");
    static const Op<TensorKernel> op("multinomial");
    run_random(op, 2, out, {replacement ? 1 : 0}, gen, {w}, replacement ? rows * num_samples : rows * k);
  }
  return probs.dim() == 1 ? out.reshape({num_samples}) : out;
}

Tensor rand(IntList shape, std::optional<DType> dtype, Device device, Generator* gen) {
  Tensor t = empty(shape, dtype, device);
  return uniform_(t, 0, 1, gen);
}

Tensor randn(IntList shape, std::optional<DType> dtype, Device device, Generator* gen) {
  Tensor t = empty(shape, dtype, device);
  return normal_(t, 0, 1, gen);
}

Tensor randint(int64_t low, int64_t high, IntList shape, DType dtype, Device device, Generator* gen) {
  LT_CHECK(low < high, ValueError, "randint", "expects low < high, got low=", low, " high=", high);
  LT_CHECK(dtype != DType::Bool, DTypeError, "randint", "cannot draw bool integers");
  Tensor t = empty(shape, dtype, device);
  static const Op<TensorKernel> op("random_");
  run_random(op, 2, t, {low, high}, gen);  // 64 bits, so wide ranges stay unbiased
  return t;
}

Tensor bernoulli(const Tensor& p, Generator* gen) {
  check_floating("bernoulli", p);
  Tensor t = empty(p.sizes(), p.dtype(), p.device());
  {
    autograd::NoGradGuard no_grad;
    Tensor probs = p.to(DType::Float64).contiguous();
    run_random(bernoulli_op(), 1, t, {}, gen, {probs});
  }
  // A sample does not move with p: its gradient is zero, as in PyTorch.
  if (autograd::any_requires_grad(p)) {
    autograd::record("bernoulli", {p}, {t}, {}, [](const autograd::Backward& d) {
      return autograd::TensorList{zeros_like(d.grad())};
    });
  }
  return t;
}

}  // namespace lt
