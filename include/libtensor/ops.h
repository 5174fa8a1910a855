// The operators. Each is defined once in src/ops (checks, output shape and dtype) and
// runs through the registry on the kernel of its inputs' device.
#pragma once

#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

#include "libtensor/random.h"
#include "libtensor/tensor.h"

namespace lt {

// --- creation --------------------------------------------------------------------
// A floating-point factory without a dtype makes default_dtype() (float32 unless changed).
Tensor empty(IntList shape, std::optional<DType> dtype = {}, Device device = kCPU);
Tensor full(IntList shape, const Scalar& value, std::optional<DType> dtype = {}, Device device = kCPU);
Tensor zeros(IntList shape, std::optional<DType> dtype = {}, Device device = kCPU);
Tensor ones(IntList shape, std::optional<DType> dtype = {}, Device device = kCPU);
Tensor empty_like(const Tensor& t);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, const Scalar& value);
// A 0-dim tensor holding `value` in its natural dtype (bool, int64 or the default float) or `dtype`.
Tensor scalar_tensor(const Scalar& value, std::optional<DType> dtype = {}, Device device = kCPU);
// Copies host values into a new tensor of `shape` (1-D by default).
template <class T>
Tensor from_vector(const std::vector<T>& values, Shape shape = {}, Device device = kCPU);
Tensor arange(const Scalar& end, std::optional<DType> dtype = {}, Device device = kCPU);
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step = 1, std::optional<DType> dtype = {},
              Device device = kCPU);
Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, std::optional<DType> dtype = {},
                Device device = kCPU);
Tensor eye(int64_t n, std::optional<int64_t> m = {}, std::optional<DType> dtype = {}, Device device = kCPU);
// base ** linspace(start, end, steps), computed in float64 and rounded once to dtype
// (an integral dtype truncates start and end first, as PyTorch).
Tensor logspace(const Scalar& start, const Scalar& end, int64_t steps, double base = 10,
                std::optional<DType> dtype = {}, Device device = kCPU);
// The coordinates (2, count) of the lower / upper triangle of a rows x cols matrix from
// diagonal `offset` on, row by row.
Tensor tril_indices(int64_t rows, int64_t cols, int64_t offset = 0, DType dtype = DType::Int64, Device device = kCPU);
Tensor triu_indices(int64_t rows, int64_t cols, int64_t offset = 0, DType dtype = DType::Int64, Device device = kCPU);

// --- random (counter-based: same seed, same numbers on every device) --------------
Tensor rand(IntList shape, std::optional<DType> dtype = {}, Device device = kCPU, Generator* gen = nullptr);
Tensor randn(IntList shape, std::optional<DType> dtype = {}, Device device = kCPU, Generator* gen = nullptr);
Tensor randint(int64_t low, int64_t high, IntList shape, DType dtype = DType::Int64, Device device = kCPU,
               Generator* gen = nullptr);
Tensor bernoulli(const Tensor& p, Generator* gen = nullptr);
Tensor& uniform_(Tensor& t, double from = 0, double to = 1, Generator* gen = nullptr);
Tensor& normal_(Tensor& t, double mean = 0, double std = 1, Generator* gen = nullptr);
Tensor& bernoulli_(Tensor& t, double p, Generator* gen = nullptr);
// Exponential (rate lambd), geometric (successes at trial 1, 2, ...), Cauchy and log-normal
// (mean and std of the underlying normal) draws, in place.
Tensor& exponential_(Tensor& t, double lambd = 1, Generator* gen = nullptr);
// Integers drawn uniformly from [from, to), or without `to` from [from, the largest
// integer the dtype holds exactly] (2^mantissa digits for floats, 1 for bool).
Tensor& random_(Tensor& t, int64_t from = 0, std::optional<int64_t> to = {}, Generator* gen = nullptr);
Tensor& geometric_(Tensor& t, double p, Generator* gen = nullptr);
Tensor& cauchy_(Tensor& t, double median = 0, double sigma = 1, Generator* gen = nullptr);
Tensor& log_normal_(Tensor& t, double mean = 1, double std = 2, Generator* gen = nullptr);
// int64 category indices drawn from the rows of probs (1-D or 2-D, non-negative weights,
// not necessarily normalized): (num_samples) or (rows, num_samples).
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement = false, Generator* gen = nullptr);
// A random permutation of 0 .. n-1.
Tensor randperm(int64_t n, DType dtype = DType::Int64, Device device = kCPU, Generator* gen = nullptr);

// --- unary -----------------------------------------------------------------------
#define LT_UNARY_OPS(_)                                                                            \
  _(neg) _(abs) _(sign) _(exp) _(exp2) _(expm1) _(log) _(log2) _(log10) _(log1p) _(sqrt) _(rsqrt)  \
  _(reciprocal) _(sin) _(cos) _(tan) _(asin) _(acos) _(atan) _(sinh) _(cosh) _(tanh) _(asinh)      \
  _(acosh) _(atanh)                                                                                \
  _(erf) _(erfc) _(sigmoid) _(relu) _(floor) _(ceil) _(round) _(trunc) _(frac) _(square)         \
  _(logical_not) _(bitwise_not) _(isnan) _(isinf) _(isfinite) _(lgamma) _(digamma) _(erfinv)
#define LT_DECLARE_UNARY(op) Tensor op(const Tensor& x);
LT_UNARY_OPS(LT_DECLARE_UNARY)
#undef LT_DECLARE_UNARY
Tensor round(const Tensor& x, int64_t decimals);  // to `decimals` decimal places
// The n-th derivative of digamma (n >= 0): polygamma(0, x) is digamma(x).
Tensor polygamma(int64_t n, const Tensor& x);
Tensor nan_to_num(const Tensor& x, std::optional<double> nan = {}, std::optional<double> posinf = {},
                  std::optional<double> neginf = {});

// --- binary (tensor-tensor and tensor-scalar; scalars are weak operands) ---------
Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha = 1);
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha = 1);
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha = 1);
Tensor sub(const Tensor& a, const Scalar& b, const Scalar& alpha = 1);
// b - alpha * a: sub with its operands swapped, what `number - tensor` computes.
Tensor rsub(const Tensor& a, const Tensor& b, const Scalar& alpha = 1);
Tensor rsub(const Tensor& a, const Scalar& b, const Scalar& alpha = 1);
// rounding_mode: "" (true division), "trunc" or "floor".
Tensor div(const Tensor& a, const Tensor& b, std::string_view rounding_mode = "");
Tensor div(const Tensor& a, const Scalar& b, std::string_view rounding_mode = "");

#define LT_BINARY_OPS(_)                                                                          \
  _(mul) _(floor_divide) _(remainder) _(fmod) _(pow) _(atan2) _(maximum) _(minimum) _(eq) _(ne) \
  _(lt) _(le) _(gt) _(ge) _(logical_and) _(logical_or) _(logical_xor) _(bitwise_and)            \
  _(bitwise_or) _(bitwise_xor) _(bitwise_left_shift) _(bitwise_right_shift) _(copysign) _(hypot) _(xlogy)
#define LT_DECLARE_BINARY(op)                  \
  Tensor op(const Tensor& a, const Tensor& b); \
  Tensor op(const Tensor& a, const Scalar& b);
LT_BINARY_OPS(LT_DECLARE_BINARY)
#undef LT_DECLARE_BINARY
Tensor pow(const Scalar& base, const Tensor& exponent);
// |a - b| <= atol + rtol |b| elementwise, a and b of one dtype, broadcast; infinities are
// close only to equal ones, NaN to NaN only with equal_nan (PyTorch's isclose).
Tensor isclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false);
// Whether every element of a is close to b's.
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false);
// Whether a and b have one shape and equal values (their dtypes promoted).
bool equal(const Tensor& a, const Tensor& b);
// x * log(y), 0 where x == 0 (even for y == 0 or inf) unless y is NaN.
Tensor xlogy(const Scalar& x, const Tensor& y);

// --- derivatives that run as one kernel (differentiable themselves) -----------------
// g * (1 - y^2) and g * y * (1 - y): the gradients of tanh and sigmoid from their output.
Tensor tanh_backward(const Tensor& grad, const Tensor& y);
Tensor sigmoid_backward(const Tensor& grad, const Tensor& y);

// --- ternary and friends ---------------------------------------------------------
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);
Tensor where(const Tensor& condition, const Scalar& a, const Tensor& b);
Tensor where(const Tensor& condition, const Tensor& a, const Scalar& b);
Tensor clamp(const Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max);
// Tensor bounds, broadcast; an undefined tensor is a missing bound.
Tensor clamp(const Tensor& x, const Tensor& min, const Tensor& max);
Tensor clamp_min(const Tensor& x, const Scalar& min);
Tensor clamp_max(const Tensor& x, const Scalar& max);
Tensor lerp(const Tensor& start, const Tensor& end, const Scalar& weight);
Tensor lerp(const Tensor& start, const Tensor& end, const Tensor& weight);

// --- copies and casts ------------------------------------------------------------
// Across devices (one of them the CPU, or two GPUs) the backend of the non-CPU device
// copies; non_blocking lets a copy from or to pinned memory return before it completes.
Tensor& copy_(Tensor& dst, const Tensor& src, bool non_blocking = false);
Tensor& fill_(Tensor& t, const Scalar& value);
Tensor& zero_(Tensor& t);
Tensor flip(const Tensor& x, IntList dims);

// --- reductions (dims empty = all dims) -------------------------------------------
Tensor sum(const Tensor& x, IntList dims = {}, bool keepdim = false, std::optional<DType> dtype = {});
Tensor mean(const Tensor& x, IntList dims = {}, bool keepdim = false, std::optional<DType> dtype = {});
Tensor prod(const Tensor& x, IntList dims = {}, bool keepdim = false, std::optional<DType> dtype = {});
Tensor amax(const Tensor& x, IntList dims = {}, bool keepdim = false);
Tensor amin(const Tensor& x, IntList dims = {}, bool keepdim = false);
Tensor all(const Tensor& x, IntList dims = {}, bool keepdim = false);
Tensor any(const Tensor& x, IntList dims = {}, bool keepdim = false);
// correction: 1 for the unbiased estimator (PyTorch's default), 0 for the population one.
Tensor var(const Tensor& x, IntList dims = {}, double correction = 1, bool keepdim = false);
Tensor std(const Tensor& x, IntList dims = {}, double correction = 1, bool keepdim = false);
Tensor max(const Tensor& x);  // over all elements
Tensor min(const Tensor& x);
// Values and int64 indices along one dimension.
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim = false);
// Over the flattened tensor when dim is empty.
Tensor argmax(const Tensor& x, std::optional<int64_t> dim = {}, bool keepdim = false);
Tensor argmin(const Tensor& x, std::optional<int64_t> dim = {}, bool keepdim = false);

// --- indexing and products ------------------------------------------------------------
// aten::index, the advanced indexing of x[i0, :, i2]: entry d indexes dim d, nullopt
// takes a whole dim, missing entries take the trailing dims whole. Index tensors are
// integral (negative values count from the end) or bool/uint8 masks (a mask of k dims
// stands for the k index tensors of its nonzero coordinates; a 0-dim mask adds a dim of
// size 1 or 0, as in NumPy). Index tensors broadcast together; their shape replaces the
// indexed dims where those are adjacent, and comes first otherwise (NumPy's rule). The
// result is a copy.
Tensor index(const Tensor& x, const std::vector<std::optional<Tensor>>& indices);
// x with values (broadcast to index(x, indices)'s shape, cast to x's dtype) written at
// the indexed positions; with accumulate, added there, duplicates adding up (without,
// the last of duplicate positions wins).
Tensor index_put(const Tensor& x, const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                 bool accumulate = false);
Tensor& index_put_(Tensor& x, const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                   bool accumulate = false);
// The coordinates of the nonzero elements, int64 of shape (count, x.dim()), row-major order.
Tensor nonzero(const Tensor& x);
// Matrix products; the operands must have one dtype (not bool). bmm: (B, n, k) x
// (B, k, m). mm: (n, k) x (k, m). mv: (n, k) x (k). dot: (k) x (k), a 0-dim result.
// matmul: PyTorch's rules (1-D operands are promoted and the added dim removed, batch
// dims broadcast). bmm has the kernel; the others run it and record their own step,
// except matmul, a composition of views and the others.
Tensor bmm(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);
Tensor mv(const Tensor& a, const Tensor& v);
Tensor dot(const Tensor& a, const Tensor& b);
Tensor vdot(const Tensor& a, const Tensor& b);  // dot of 1-D tensors (no conjugation: all real)
Tensor matmul(const Tensor& a, const Tensor& b);
// a (n) x b (m) -> (n, m): a composition, a column times a row.
Tensor outer(const Tensor& a, const Tensor& b);
// beta * input + alpha * (m1 @ m2), input broadcast to the product's shape; beta = 0
// ignores input (NaNs included). baddbmm is the batched form.
Tensor addmm(const Tensor& input, const Tensor& m1, const Tensor& m2, const Scalar& beta = 1,
             const Scalar& alpha = 1);
Tensor baddbmm(const Tensor& input, const Tensor& b1, const Tensor& b2, const Scalar& beta = 1,
               const Scalar& alpha = 1);
// beta * input + alpha * the sum over the batch of b1[i] @ b2[i], as one matrix product.
Tensor addbmm(const Tensor& input, const Tensor& b1, const Tensor& b2, const Scalar& beta = 1,
              const Scalar& alpha = 1);
// --- joining, splitting, rearranging ----------------------------------------------
// cat promotes dtypes and skips 1-D empty tensors, as PyTorch.
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);
// Views of consecutive slices: of split_size (the last may be smaller), or of the sizes given.
std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& x, IntList sizes, int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim = 0);
std::vector<Tensor> unbind(const Tensor& x, int64_t dim = 0);
Tensor movedim(const Tensor& x, IntList source, IntList destination);
Tensor repeat(const Tensor& x, IntList repeats);
Tensor tile(const Tensor& x, IntList repeats);
Tensor roll(const Tensor& x, IntList shifts, IntList dims = {});
// The lower / upper triangle of the last two dims from diagonal k (0 the main one) on.
Tensor tril(const Tensor& x, int64_t diagonal = 0);
Tensor triu(const Tensor& x, int64_t diagonal = 0);

// --- NumPy's stacking family (compositions of views and cat) ------------------------
// x with 1, 2 or 3 dims at least: a 0-dim x becomes (1), (1, 1) or (1, 1, 1); a 1-D (n)
// becomes (1, n) or (1, n, 1); a 2-D (m, n) becomes (m, n, 1). Views.
Tensor atleast_1d(const Tensor& x);
Tensor atleast_2d(const Tensor& x);
Tensor atleast_3d(const Tensor& x);
// cat along dim 1 (dim 0 for 1-D tensors), dim 0 of the 2-D forms, dim 2 of the 3-D ones;
// column_stack makes columns of 0-dim and 1-D tensors first.
Tensor hstack(const std::vector<Tensor>& tensors);
Tensor vstack(const std::vector<Tensor>& tensors);
Tensor dstack(const std::vector<Tensor>& tensors);
Tensor column_stack(const std::vector<Tensor>& tensors);
// Views along dim: `sections` near-equal pieces (the first size % sections one longer),
// or the pieces between the given indices (clamped to the dim; a piece may be empty).
std::vector<Tensor> tensor_split(const Tensor& x, int64_t sections, int64_t dim = 0);
std::vector<Tensor> tensor_split(const Tensor& x, IntList indices, int64_t dim = 0);
// tensor_split along dim 1 (dim 0 of a 1-D x), 0 or 2; `sections` must divide the dim.
std::vector<Tensor> hsplit(const Tensor& x, int64_t sections);
std::vector<Tensor> hsplit(const Tensor& x, IntList indices);
std::vector<Tensor> vsplit(const Tensor& x, int64_t sections);
std::vector<Tensor> vsplit(const Tensor& x, IntList indices);
std::vector<Tensor> dsplit(const Tensor& x, int64_t sections);
std::vector<Tensor> dsplit(const Tensor& x, IntList indices);
// x flattened into a contiguous tensor: a view of a contiguous x, else a copy.
Tensor ravel(const Tensor& x);
// x expanded to `shape` (-1 keeps a size); the tensors expanded to their broadcast shape.
Tensor broadcast_to(const Tensor& x, IntList shape);
std::vector<Tensor> broadcast_tensors(const std::vector<Tensor>& tensors);
// Coordinate grids of 0-dim or 1-D tensors of one dtype: indexing "ij" (grid k varies
// along dim k) or "xy" (the first two dims swapped, as NumPy's default). Views.
std::vector<Tensor> meshgrid(const std::vector<Tensor>& tensors, std::string_view indexing = "ij");
// The n-th forward difference along dim (logical_xor for bools), prepend and append
// joined to x there first.
Tensor diff(const Tensor& x, int64_t n = 1, int64_t dim = -1, const std::optional<Tensor>& prepend = {},
            const std::optional<Tensor>& append = {});
// flip along dim 1 (fliplr, x.dim() >= 2) or dim 0 (flipud); rot90 turns the plane of
// dims by k quarter turns, from dims[0] towards dims[1].
Tensor fliplr(const Tensor& x);
Tensor flipud(const Tensor& x);
Tensor rot90(const Tensor& x, int64_t k = 1, IntList dims = {0, 1});

// --- products and diagonals (compositions of matmul, mul and index_put) ---------------
// Sums over the last `dims` dims of a and the first of b, or over the dims paired up.
Tensor tensordot(const Tensor& a, const Tensor& b, int64_t dims = 2);
Tensor tensordot(const Tensor& a, const Tensor& b, IntList dims_a, IntList dims_b);
// The Kronecker product: blocks a[i] * b, over any number of dims.
Tensor kron(const Tensor& a, const Tensor& b);
// Sums over the last dims of a and b (a product when either is 0-dim).
Tensor inner(const Tensor& a, const Tensor& b);
// The cross product of 3-vectors along dim (broadcast); without dim, the first of size 3.
Tensor cross(const Tensor& a, const Tensor& b, std::optional<int64_t> dim = std::nullopt);
// The sum of a matrix's main diagonal.
Tensor trace(const Tensor& x);
// A 1-D x on the k-th diagonal of a square matrix, or a copy of a 2-D x's k-th diagonal.
Tensor diag(const Tensor& x, int64_t diagonal = 0);
// The last dim of x on the offset diagonal of the planes (dim1, dim2) of a new tensor.
Tensor diag_embed(const Tensor& x, int64_t offset = 0, int64_t dim1 = -2, int64_t dim2 = -1);
Tensor diagflat(const Tensor& x, int64_t offset = 0);
// p-norm distances between the rows of x1 (..., P, M) and x2 (..., R, M): (..., P, R).
Tensor cdist(const Tensor& x1, const Tensor& x2, double p = 2);
// beta * input + alpha * (mat @ vec), and beta * input + alpha * outer(vec1, vec2).
Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, const Scalar& beta = 1,
             const Scalar& alpha = 1);
Tensor addr(const Tensor& input, const Tensor& vec1, const Tensor& vec2, const Scalar& beta = 1,
            const Scalar& alpha = 1);
// The 0-, 1- or 2-D tensors (a 1-D (n) as (1, n)) on the diagonal of a zero matrix.
Tensor block_diag(const std::vector<Tensor>& tensors);
// Every tuple of one element from each 1-D tensor, as rows (itertools.product).
Tensor cartesian_prod(const std::vector<Tensor>& tensors);
// The r-element combinations of a 1-D x as rows, in itertools' order.
Tensor combinations(const Tensor& x, int64_t r = 2, bool with_replacement = false);

// --- copies with a view replaced (src written into a copy of input) ---------------------
Tensor select_scatter(const Tensor& input, const Tensor& src, int64_t dim, int64_t index);
Tensor slice_scatter(const Tensor& input, const Tensor& src, int64_t dim = 0, std::optional<int64_t> start = {},
                     std::optional<int64_t> end = {}, int64_t step = 1);
Tensor diagonal_scatter(const Tensor& input, const Tensor& src, int64_t offset = 0, int64_t dim1 = 0,
                        int64_t dim2 = 1);

// --- statistics (compositions of reductions) -----------------------------------------
// sum and mean skipping NaNs (mean over the elements that are not NaN).
Tensor nansum(const Tensor& x, IntList dims = {}, bool keepdim = false, std::optional<DType> dtype = {});
Tensor nanmean(const Tensor& x, IntList dims = {}, bool keepdim = false, std::optional<DType> dtype = {});
// int64 counts of the elements that are not zero.
Tensor count_nonzero(const Tensor& x, IntList dims = {});
// (var, mean) and (std, mean) in one call.
std::tuple<Tensor, Tensor> var_mean(const Tensor& x, IntList dims = {}, double correction = 1, bool keepdim = false);
std::tuple<Tensor, Tensor> std_mean(const Tensor& x, IntList dims = {}, double correction = 1, bool keepdim = false);
// (amin, amax) over dim, or over everything.
std::tuple<Tensor, Tensor> aminmax(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
// Quantiles of x (float32 / float64) along dim or over everything, q a number or 1-D
// tensor in [0, 1] (its values lead the result's dims); interpolation between the two
// nearest ranks: "linear", "lower", "higher", "midpoint" or "nearest". quantile gives NaN
// where a slice holds one, nanquantile skips NaNs.
Tensor quantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim = {}, bool keepdim = false,
                std::string_view interpolation = "linear");
Tensor quantile(const Tensor& x, double q, std::optional<int64_t> dim = {}, bool keepdim = false,
                std::string_view interpolation = "linear");
Tensor nanquantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim = {}, bool keepdim = false,
                   std::string_view interpolation = "linear");
Tensor nanquantile(const Tensor& x, double q, std::optional<int64_t> dim = {}, bool keepdim = false,
                   std::string_view interpolation = "linear");
// The lower median of the elements that are not NaN (NaN when all are).
Tensor nanmedian(const Tensor& x);
std::tuple<Tensor, Tensor> nanmedian(const Tensor& x, int64_t dim, bool keepdim = false);
// The covariance matrix of the variables in x's rows (observations in columns), with
// integer frequency and floating observation weights; corrcoef normalizes it.
Tensor cov(const Tensor& x, int64_t correction = 1, const std::optional<Tensor>& fweights = {},
           const std::optional<Tensor>& aweights = {});
Tensor corrcoef(const Tensor& x);
// Counts of x's values in `bins` equal bins between min and max (the data's range when
// both are equal); values outside, and NaNs, are not counted.
Tensor histc(const Tensor& x, int64_t bins = 100, double min = 0, double max = 0);
// ||a - b||_p of the broadcast difference.
Tensor dist(const Tensor& a, const Tensor& b, double p = 2);
// x with each slice along dim whose p-norm exceeds maxnorm scaled down to maxnorm.
Tensor renorm(const Tensor& x, double p, int64_t dim, double maxnorm);

// --- elementwise compositions of the kernels above -----------------------------------
// log(exp(a) + exp(b)) and log2(2^a + 2^b), without overflow.
Tensor logaddexp(const Tensor& a, const Tensor& b);
Tensor logaddexp2(const Tensor& a, const Tensor& b);
// log(x / (1 - x)), x clamped to [eps, 1 - eps] first when eps is given.
Tensor logit(const Tensor& x, std::optional<double> eps = std::nullopt);
// sign for real numbers; whether the sign bit is set (-0.0 and negative NaNs included).
Tensor sgn(const Tensor& x);
Tensor signbit(const Tensor& x);
// maximum / minimum that prefer a number to a NaN.
Tensor fmax(const Tensor& a, const Tensor& b);
Tensor fmin(const Tensor& a, const Tensor& b);
// 0 below zero, 1 above, `values` at zero (not differentiable).
Tensor heaviside(const Tensor& x, const Tensor& values);
Tensor deg2rad(const Tensor& x);
Tensor rad2deg(const Tensor& x);
// Whether each element is +inf / -inf (false for integers).
Tensor isposinf(const Tensor& x);
Tensor isneginf(const Tensor& x);
// x * 2^e.
Tensor ldexp(const Tensor& x, const Tensor& e);
// sin(pi x) / (pi x), 1 at 0.
Tensor sinc(const Tensor& x);
// pow in float64 (complex is not supported).
Tensor float_power(const Tensor& a, const Tensor& b);
Tensor float_power(const Tensor& a, const Scalar& b);

// --- index-driven (compositions of index / index_put and where) -------------------
// out[i][j] = x[i][index[i][j]] along dim 1 (and so on for any dim); index may be
// smaller than x outside dim.
Tensor gather(const Tensor& x, int64_t dim, const Tensor& index);
// A copy of x with src (or value) written at the places index names along dim;
// scatter_add adds, summing repeated places.
Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Scalar& value);
Tensor scatter_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src);
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
Tensor masked_fill(const Tensor& x, const Tensor& mask, const Scalar& value);
Tensor masked_select(const Tensor& x, const Tensor& mask);
// Rows of weight (num, dim) for integer indices; padding_idx's row gets no gradient.
Tensor embedding(const Tensor& weight, const Tensor& indices, std::optional<int64_t> padding_idx = std::nullopt);
// x with alpha * source added (index_add) or source written (index_copy) at the
// positions index (1-D) names along dim; source has x's shape but index.numel() along dim.
Tensor index_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha = 1);
Tensor index_copy(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source);
// x with the elements where mask (broadcast to x) is true replaced, in row-major order,
// by the leading elements of source.
Tensor masked_scatter(const Tensor& x, const Tensor& mask, const Tensor& source);
// gather with x and indices broadcast outside dim; without dim, over the flattened x.
Tensor take_along_dim(const Tensor& x, const Tensor& indices, std::optional<int64_t> dim = std::nullopt);
// scatter that reduces ("sum", "prod", "mean", "amax" or "amin") the values landing on each
// place, x's value among them when include_self.
Tensor scatter_reduce(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
                      bool include_self = true);
// Each element (slice along dim; without dim, of the flattened x) repeated `repeats`
// times, or repeats[i] times for element i. The one-argument form repeats the indices.
Tensor repeat_interleave(const Tensor& x, int64_t repeats, std::optional<int64_t> dim = std::nullopt);
Tensor repeat_interleave(const Tensor& x, const Tensor& repeats, std::optional<int64_t> dim = std::nullopt);
Tensor repeat_interleave(const Tensor& repeats);
// int64 (..., num_classes); num_classes -1: one more than the largest index.
Tensor one_hot(const Tensor& indices, int64_t num_classes = -1);
// The elements of the flattened x at index (negative values count from the end).
Tensor take(const Tensor& x, const Tensor& index);
// x seen as 1-D with source's values written (or added, with accumulate) at index.
Tensor put(const Tensor& x, const Tensor& index, const Tensor& source, bool accumulate = false);
// Fills the main diagonal of a matrix (or of a tensor whose dims are equal) in place;
// with wrap, a tall matrix's diagonal starts again below each square block.
Tensor& fill_diagonal_(Tensor& x, const Scalar& value, bool wrap = false);
// x with `value` (a number or a 0-dim tensor, which gets the gradient) written at the
// positions index (1-D or 0-dim) names along dim.
Tensor index_fill(const Tensor& x, int64_t dim, const Tensor& index, const Scalar& value);
Tensor index_fill(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& value);

// --- sorting and searching (NaN orders above every number) ---------------------------
// Values and int64 indices along dim; stable keeps equal elements in their order.
std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim = -1, bool descending = false, bool stable = false);
Tensor argsort(const Tensor& x, int64_t dim = -1, bool descending = false, bool stable = false);
// The k largest (or smallest) along dim, in order when sorted.
std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim = -1, bool largest = true, bool sorted = true);
// The k-th smallest (k from 1) along dim.
std::tuple<Tensor, Tensor> kthvalue(const Tensor& x, int64_t k, int64_t dim = -1, bool keepdim = false);
// The lower median; NaN where the elements hold one.
Tensor median(const Tensor& x);
std::tuple<Tensor, Tensor> median(const Tensor& x, int64_t dim, bool keepdim = false);
// The distinct values (sorted), each element's position among them (inverse, x's shape)
// and their counts; with dim, the distinct slices along dim.
std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& x, bool sorted = true, std::optional<int64_t> dim = {});
// Where values would go in the rows of sorted_sequence (1-D, or sharing values' leading
// dims): the first position whose element is >= the value (> with right or side
// "right"). sorter: the indices that sort an unsorted sequence.
Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& values, bool out_int32 = false, bool right = false,
                    std::optional<std::string_view> side = {}, const std::optional<Tensor>& sorter = {});
Tensor searchsorted(const Tensor& sorted_sequence, const Scalar& value, bool out_int32 = false, bool right = false,
                    std::optional<std::string_view> side = {}, const std::optional<Tensor>& sorter = {});
// Counts of each value of a 1-D non-negative integer tensor (or sums of weights), at
// least minlength of them.
Tensor bincount(const Tensor& input, const std::optional<Tensor>& weights = {}, int64_t minlength = 0);
// Whether each element of `elements` is among test_elements (bool, elements' shape), or
// is not with invert.
Tensor isin(const Tensor& elements, const Tensor& test_elements, bool assume_unique = false, bool invert = false);
// The bucket of each value between sorted boundaries: searchsorted(boundaries, x).
Tensor bucketize(const Tensor& x, const Tensor& boundaries, bool out_int32 = false, bool right = false);
// The first element of each run of equal ones (along dim: of equal slices), each
// element's run (inverse, x's shape or dim's size) and the runs' lengths.
std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& x, std::optional<int64_t> dim = {});
// The coordinates of the nonzero elements, one row each (nonzero's result).
Tensor argwhere(const Tensor& x);

// --- scans along a dim (integers and bools give int64; dtype casts first) --------------
Tensor cumsum(const Tensor& x, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor cumprod(const Tensor& x, int64_t dim, std::optional<DType> dtype = std::nullopt);
// The running maximum / minimum and the index each value came from.
std::tuple<Tensor, Tensor> cummax(const Tensor& x, int64_t dim);
std::tuple<Tensor, Tensor> cummin(const Tensor& x, int64_t dim);
// log(cumsum(exp(x))) along dim, without overflow (floating x).
Tensor logcumsumexp(const Tensor& x, int64_t dim);
// The trapezoid rule along dim for samples y at spacing dx, or at the points x (1-D, or
// broadcasting with y); the cumulative form keeps the running sums.
Tensor trapezoid(const Tensor& y, const Tensor& x, int64_t dim = -1);
Tensor trapezoid(const Tensor& y, const Scalar& dx = 1, int64_t dim = -1);
Tensor cumulative_trapezoid(const Tensor& y, const Tensor& x, int64_t dim = -1);
Tensor cumulative_trapezoid(const Tensor& y, const Scalar& dx = 1, int64_t dim = -1);

// --- vector norms -----------------------------------------------------------------
Tensor norm(const Tensor& x, double p = 2, IntList dims = {}, bool keepdim = false);
Tensor normalize(const Tensor& x, double p = 2, int64_t dim = 1, double eps = 1e-12);
Tensor cosine_similarity(const Tensor& a, const Tensor& b, int64_t dim = 1, double eps = 1e-8);

// --- elementwise compositions -------------------------------------------------------
Tensor addcmul(const Tensor& input, const Tensor& t1, const Tensor& t2, const Scalar& value = 1);
Tensor addcdiv(const Tensor& input, const Tensor& t1, const Tensor& t2, const Scalar& value = 1);
// Zeroes each element with probability p, scaling the rest by 1 / (1 - p); the identity
// unless training.
Tensor dropout(const Tensor& x, double p = 0.5, bool training = true, Generator* gen = nullptr);

// --- activations (floating inputs) ------------------------------------------------
// gelu's approximate: "none" (the exact x * Phi(x)) or "tanh".
Tensor gelu(const Tensor& x, std::string_view approximate = "none");
// gelu's derivative times grad: the fused kernel behind gelu's backward.
Tensor gelu_backward(const Tensor& grad, const Tensor& x, std::string_view approximate = "none");
Tensor silu(const Tensor& x);
Tensor mish(const Tensor& x);
Tensor softplus(const Tensor& x, const Scalar& beta = 1, const Scalar& threshold = 20);
Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope = 0.01);
Tensor elu(const Tensor& x, const Scalar& alpha = 1, const Scalar& scale = 1, const Scalar& input_scale = 1);
Tensor selu(const Tensor& x);
Tensor hardtanh(const Tensor& x, const Scalar& min = -1, const Scalar& max = 1);
Tensor hardswish(const Tensor& x);
Tensor logsigmoid(const Tensor& x);

// --- normalization over the trailing dims named by normalized_shape -------------------
// weight and bias have normalized_shape; layer_norm runs a fused kernel where the device
// has one.
Tensor layer_norm(const Tensor& x, IntList normalized_shape, const std::optional<Tensor>& weight = {},
                  const std::optional<Tensor>& bias = {}, double eps = 1e-5);
// eps defaults to the dtype's machine epsilon.
Tensor rms_norm(const Tensor& x, IntList normalized_shape, const std::optional<Tensor>& weight = {},
                std::optional<double> eps = std::nullopt);

// --- losses (reduction: "none", "mean" or "sum"; kl_div also "batchmean") ---------
Tensor mse_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean");
Tensor l1_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean");
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean", double beta = 1);
Tensor huber_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean", double delta = 1);
// weight and pos_weight scale the loss; their own gradients are not computed.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight = {},
                            std::string_view reduction = "mean");
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const std::optional<Tensor>& weight = {},
                                        const std::optional<Tensor>& pos_weight = {},
                                        std::string_view reduction = "mean");
Tensor kl_div(const Tensor& input, const Tensor& target, std::string_view reduction = "mean", bool log_target = false);
// input (N, C, d1, ...) or (C) of log-probabilities; target (N, d1, ...) or () of classes.
Tensor nll_loss(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight = {},
                int64_t ignore_index = -100, std::string_view reduction = "mean");
// input of logits; target of classes (as nll_loss) or of probabilities (input's shape).
Tensor cross_entropy(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight = {},
                     int64_t ignore_index = -100, std::string_view reduction = "mean", double label_smoothing = 0);

// --- softmax and friends ---------------------------------------------------------
// Along `dim`; dtype casts the input first (PyTorch's dtype=). Fused kernels where the
// device has them, compositions elsewhere.
Tensor softmax(const Tensor& x, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& x, int64_t dim, std::optional<DType> dtype = std::nullopt);
// log(sum(exp(x))) over dims, computed without overflow; integers give float32.
Tensor logsumexp(const Tensor& x, IntList dims, bool keepdim = false);

// Einstein summation, as torch.einsum: "ij,jk->ik", implicit outputs, repeated
// subscripts (diagonals), "..." broadcasting; a composition of permutes, reshapes and bmm.
Tensor einsum(std::string_view equation, const std::vector<Tensor>& operands);

// x (..., in) @ weight (out, in).T + bias (out): a composition of addmm or matmul and add.
Tensor linear(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt);

// --- convolution (NCHW; the 1-D forms run the 2-D ones over a height of 1) --------------
// weight (out, in / groups, kh, kw); bias (out). Three kernels (the forward and its two
// adjoints) whose derivatives are each other, so derivatives of any order exist.
Tensor conv2d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias = {}, IntList stride = {1, 1},
              IntList padding = {0, 0}, IntList dilation = {1, 1}, int64_t groups = 1);
// PyTorch's padding="valid" (none) and padding="same" (the output keeps the input's
// size; stride 1 only).
enum class Padding { Valid, Same };
Tensor conv2d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias, IntList stride, Padding padding,
              IntList dilation = {1, 1}, int64_t groups = 1);
Tensor conv1d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias = {}, IntList stride = {1},
              IntList padding = {0}, IntList dilation = {1}, int64_t groups = 1);
Tensor conv1d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias, IntList stride, Padding padding,
              IntList dilation = {1}, int64_t groups = 1);
// The adjoint of conv2d in x: weight (in, out / groups, kh, kw); the output grows by
// output_padding at the bottom and right (it must be below stride or dilation).
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias = {},
                        IntList stride = {1, 1}, IntList padding = {0, 0}, IntList output_padding = {0, 0},
                        int64_t groups = 1, IntList dilation = {1, 1});
Tensor conv_transpose1d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias = {},
                        IntList stride = {1}, IntList padding = {0}, IntList output_padding = {0}, int64_t groups = 1,
                        IntList dilation = {1});

// --- pooling ((N, C, H, W) or (C, H, W)) --------------------------------------------
// stride empty = kernel_size. Values and the flat index (h * W + w) of each maximum.
std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& x, IntList kernel_size, IntList stride = {},
                                                   IntList padding = {0, 0}, IntList dilation = {1, 1},
                                                   bool ceil_mode = false);
Tensor max_pool2d(const Tensor& x, IntList kernel_size, IntList stride = {}, IntList padding = {0, 0},
                  IntList dilation = {1, 1}, bool ceil_mode = false);
Tensor avg_pool2d(const Tensor& x, IntList kernel_size, IntList stride = {}, IntList padding = {0, 0},
                  bool ceil_mode = false, bool count_include_pad = true,
                  std::optional<int64_t> divisor_override = std::nullopt);
// Output (oh, ow): window i covers [floor(i * H / oh), ceil((i + 1) * H / oh)).
Tensor adaptive_avg_pool2d(const Tensor& x, IntList output_size);
std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(const Tensor& x, IntList output_size);
Tensor adaptive_max_pool2d(const Tensor& x, IntList output_size);

// --- padding and resizing (compositions of views, copies and index_select) ----------
// pad: (left, right) pairs from the last dim backwards; mode "constant" (negative pads
// crop), "reflect" or "replicate".
Tensor pad(const Tensor& x, IntList pad, std::string_view mode = "constant", double value = 0);
// The trailing spatial dims of (N, C, ...) resized to `size` or scaled by `scale_factor`;
// mode "nearest", "linear" (1 spatial dim) or "bilinear" (2).
Tensor interpolate(const Tensor& x, IntList size, const std::vector<double>& scale_factor = {},
                   std::string_view mode = "nearest", std::optional<bool> align_corners = std::nullopt,
                   std::optional<bool> recompute_scale_factor = std::nullopt);

// --- batch and group normalization (compositions) ------------------------------------
// Over all dims but the channel dim 1. In training, batch statistics normalize and the
// running ones (if given) move by momentum, the variance unbiased; otherwise the
// running ones normalize.
Tensor batch_norm(const Tensor& x, const std::optional<Tensor>& running_mean, const std::optional<Tensor>& running_var,
                  const std::optional<Tensor>& weight = {}, const std::optional<Tensor>& bias = {},
                  bool training = false, double momentum = 0.1, double eps = 1e-5);
// Channels split into num_groups, each normalized over its channels and the spatial dims.
Tensor group_norm(const Tensor& x, int64_t num_groups, const std::optional<Tensor>& weight = {},
                  const std::optional<Tensor>& bias = {}, double eps = 1e-5);

// --- fused optimizer steps (in place, outside autograd) ------------------------------
// PyTorch's Adam (AdamW with decoupled_weight_decay) and SGD updates over every parameter
// of a group in one kernel call; parameters and state tensors are contiguous, one per
// parameter, of its shape and dtype (float32 or float64); gradients may lie in any layout. max_exp_avg_sqs is empty without amsgrad;
// momentum_buffers empty without momentum, and overwritten with the gradient when
// first_step.
void _fused_adam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                  const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                  const std::vector<Tensor>& max_exp_avg_sqs, int64_t step, double lr, double beta1, double beta2,
                  double eps, double weight_decay, bool amsgrad, bool maximize, bool decoupled_weight_decay);
void _fused_sgd_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                 const std::vector<Tensor>& momentum_buffers, double lr, double momentum, double dampening,
                 double weight_decay, bool nesterov, bool maximize, bool first_step);
// GradScaler's unscale (PyTorch's _amp_foreach_non_finite_check_and_unscale_): every
// gradient times inv_scale, in place, and found_inf set to 1 if any of them held an inf
// or NaN before; found_inf and inv_scale are one-element float32 tensors on the
// gradients' device. Nothing waits for the device.
void _amp_foreach_non_finite_check_and_unscale_(const std::vector<Tensor>& grads, const Tensor& found_inf,
                                                const Tensor& inv_scale);

// --- operators ---------------------------------------------------------------------
Tensor operator-(const Tensor& x);
Tensor operator~(const Tensor& x);
#define LT_DECLARE_OPERATOR(sym, fn)                                                 \
  inline Tensor operator sym(const Tensor& a, const Tensor& b) { return fn(a, b); } \
  inline Tensor operator sym(const Tensor& a, const Scalar& b) { return fn(a, b); } \
  Tensor operator sym(const Scalar& a, const Tensor& b);
LT_DECLARE_OPERATOR(+, add)
LT_DECLARE_OPERATOR(-, sub)
LT_DECLARE_OPERATOR(*, mul)
LT_DECLARE_OPERATOR(/, div)
LT_DECLARE_OPERATOR(%, remainder)
LT_DECLARE_OPERATOR(==, eq)
LT_DECLARE_OPERATOR(!=, ne)
LT_DECLARE_OPERATOR(<, lt)
LT_DECLARE_OPERATOR(<=, le)
LT_DECLARE_OPERATOR(>, gt)
LT_DECLARE_OPERATOR(>=, ge)
LT_DECLARE_OPERATOR(&, bitwise_and)
LT_DECLARE_OPERATOR(|, bitwise_or)
LT_DECLARE_OPERATOR(^, bitwise_xor)
LT_DECLARE_OPERATOR(<<, bitwise_left_shift)
LT_DECLARE_OPERATOR(>>, bitwise_right_shift)
#undef LT_DECLARE_OPERATOR

// --- type promotion ----------------------------------------------------------------
// One operand of PyTorch's result_type: a tensor (0-dim ones are weaker) or a number.
struct Operand {
  Operand(const Tensor& t) : tensor(&t) {}  // NOLINT
  Operand(const Scalar& s) : scalar(&s) {}  // NOLINT
  const Tensor* tensor = nullptr;
  const Scalar* scalar = nullptr;
};
DType result_type(std::initializer_list<Operand> operands);

}  // namespace lt
