// Advanced indexing (aten::index, index_put, index_put_) and nonzero.
//
// Every indexing operator first makes a plan: bool masks become index tensors (their
// nonzero coordinates), the index tensors broadcast together, and each is wrapped,
// checked and multiplied by its dim's stride into one int64 tensor of element offsets.
// The indexed dims then disappear into those offsets, and what is left is a strided
// "row" of the remaining dims: the kernels gather rows (out[r] = row at offset[r]) or
// scatter them (row at offset[r] = values[r], or += with accumulate).
#include <algorithm>

#include "libtensor/autocast.h"
#include "libtensor/deterministic.h"
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;
using Indices = std::vector<std::optional<Tensor>>;

// Who is indexing: the operator its errors name (a literal, which the GPU's deferred
// errors keep), and whether a negative index counts from the end. Advanced indexing
// (x[i]) wraps; gather, scatter, index_select, embedding and most of the rest of
// PyTorch's index-driven operators reject a negative index.
struct Caller {
  const char* op;
  bool wraps;
  static Caller Wrapping(const char* op) { return {op, true}; }
};

struct Plan {
  Shape index_shape;   // the broadcast shape of the index tensors
  int64_t rows = 1;    // its numel
  Shape rest_sizes;    // the dims no index touches, in order
  Shape rest_strides;  // their strides in the indexed tensor (elements)
  int64_t before = 0;  // rest dims that stay in front of the index dims in the result
  Shape result_shape;  // rest[:before] + index_shape + rest[before:]
  Tensor offsets;      // int64, contiguous, index_shape: element offsets from the base
};

bool is_mask(const Tensor& t) { return t.dtype() == DType::Bool || t.dtype() == DType::UInt8; }

std::string shape_list(const std::vector<Tensor>& ts) {
  std::string s;
  for (const Tensor& t : ts) s += (s.empty() ? "" : ", ") + str(t.sizes());
  return s;
}

Plan make_plan(Caller caller, bool writes, const Tensor& x, const Indices& indices) {
  const char* op = caller.op;
  LT_CHECK(x.defined(), ValueError, op, "undefined tensor");
  // Every entry takes one dim, a mask as many as it has; a 0-dim mask takes none.
  int64_t taken = 0;
  for (const auto& e : indices) {
    if (e && e->defined() && is_mask(*e)) {
      taken += e->dim();
    } else {
      ++taken;
    }
  }
  LT_CHECK(taken <= x.dim(), IndexError, op, "too many indices for tensor of dimension ", x.dim(), " (got ",
           taken, ")");

  // The geometry being indexed: x's, with a size-1 dim for each 0-dim mask (NumPy's
  // x[True] adds a dim of size 1, x[False] one of size 0).
  Shape sizes = x.sizes(), strides = x.strides();
  std::vector<int64_t> dims;  // the advanced dims, increasing
  std::vector<int64_t> named;  // the same dims as x numbers them, for messages
  std::vector<Tensor> idx;    // an integral index tensor for each
  int64_t d = 0, inserted = 0;
  for (const auto& e : indices) {
    if (!e || !e->defined()) {
      ++d;
      continue;
    }
    // Indices on the CPU index a tensor on any device, as in PyTorch; they move there.
    LT_CHECK(e->device() == x.device() || e->device().type == DeviceType::CPU, DeviceError, op, "indices on ",
             e->device().str(), " cannot index a tensor on ", x.device().str(),
             ": indices must be on the tensor's device or the cpu");
    const Tensor t = e->to(x.device());
    if (is_mask(t)) {
      if (t.dim() == 0) {
        sizes.insert(sizes.begin() + d, 1);
        strides.insert(strides.begin() + d, 0);
        named.push_back(d - inserted);
        ++inserted;
        dims.push_back(d++);
        idx.push_back(zeros({t.item().to<bool>() ? 1 : 0}, DType::Int64, x.device()));
        continue;
      }
      for (int64_t j = 0; j < t.dim(); ++j) {
        LT_CHECK(t.size(j) == sizes[d + j], IndexError, op, "mask of shape ", str(t.sizes()),
                 " does not match the indexed shape ", str(IntList(sizes.data() + d, t.dim())), " at dim ",
                 d + j - inserted);
      }
      Tensor nz = nonzero(t);
      for (int64_t j = 0; j < t.dim(); ++j) {
        dims.push_back(d + j);
        named.push_back(d + j - inserted);
        idx.push_back(nz.select(1, j));
      }
      d += t.dim();
      continue;
    }
    LT_CHECK(is_integral(t.dtype()), IndexError, op,
             "tensors used as indices must be integral (int64, int32, ...) or bool tensors, got ", name(t.dtype()));
    named.push_back(d - inserted);
    dims.push_back(d++);
    idx.push_back(t);
  }

  Plan p;
  // The index tensors broadcast together.
  for (const Tensor& t : idx) {
    const Shape& s = t.sizes();
    Shape out(std::max(s.size(), p.index_shape.size()), 1);
    bool ok = true;
    for (size_t i = 0; i < out.size(); ++i) {
      const int64_t a = i < p.index_shape.size() ? p.index_shape[p.index_shape.size() - 1 - i] : 1;
      const int64_t b = i < s.size() ? s[s.size() - 1 - i] : 1;
      ok = ok && (a == b || a == 1 || b == 1);
      out[out.size() - 1 - i] = a == 1 ? b : a;
    }
    LT_CHECK(ok, IndexError, op, "shape mismatch: indexing tensors could not be broadcast together with shapes ",
             shape_list(idx));
    p.index_shape = std::move(out);
  }
  p.rows = checked_numel(p.index_shape, op);

  // The result: the index dims replace the indexed ones where those are adjacent, and
  // come first otherwise (NumPy's rule).
  const bool adjacent = dims.empty() || dims.back() - dims.front() + 1 == static_cast<int64_t>(dims.size());
  p.before = adjacent && !dims.empty() ? dims.front() : 0;
  for (int64_t k = 0; k < static_cast<int64_t>(sizes.size()); ++k) {
    if (std::find(dims.begin(), dims.end(), k) != dims.end()) continue;
    p.rest_sizes.push_back(sizes[k]);
    p.rest_strides.push_back(strides[k]);
  }
  p.result_shape = Shape(p.rest_sizes.begin(), p.rest_sizes.begin() + p.before);
  for (int64_t s : p.index_shape) p.result_shape.push_back(s);
  for (size_t k = p.before; k < p.rest_sizes.size(); ++k) p.result_shape.push_back(p.rest_sizes[k]);
  checked_numel(p.result_shape, op);

  // offsets = sum of wrap(idx_i) * stride_i, each index checked against its dim.
  static const Op<IterKernel> offsets_op("index_offsets");
  p.offsets = empty(p.index_shape, DType::Int64, x.device());
  if (idx.empty()) p.offsets.fill_(0);
  for (size_t i = 0; i < idx.size(); ++i) {
    TensorIteratorConfig config(op);
    config.add_output(p.offsets);
    if (i > 0) config.add_input(p.offsets);
    config.add_input(idx[i].expand(p.index_shape));
    TensorIterator iter = config.build();
    const Scalar args[] = {sizes[dims[i]], strides[dims[i]], named[i], caller.wraps, writes};
    offsets_op.kernel(x.device().type)(iter, ScalarList(args));
  }
  return p;
}

// A view of the contiguous result of plan p as (rows, rest...): the index dims are
// adjacent in the result, so they merge into one.
Tensor rows_of_result(const Tensor& out, const Plan& p) {
  const Shape cs = contiguous_strides(p.result_shape);
  const size_t ni = p.index_shape.size();
  Shape sizes{p.rows}, strides;
  int64_t row_stride = 1;
  for (size_t k = p.before; k < p.rest_sizes.size(); ++k) row_stride *= p.rest_sizes[k];
  strides.push_back(row_stride);
  for (size_t k = 0; k < p.rest_sizes.size(); ++k) {
    sizes.push_back(p.rest_sizes[k]);
    strides.push_back(cs[k < static_cast<size_t>(p.before) ? k : k + ni]);
  }
  return make_tensor(out.storage(), out.dtype(), std::move(sizes), std::move(strides), out.storage_offset());
}

// The rest dims of x at its base, without history: the kernels add the offsets.
Tensor rest_of(const Tensor& x, const Plan& p) {
  return make_tensor(x.storage(), x.dtype(), p.rest_sizes, p.rest_strides, x.storage_offset());
}

// The index tensors a formula saved, put back in their places.
Indices restore(const std::vector<bool>& present, const TensorList& saved) {
  Indices out;
  size_t k = 0;
  for (bool has : present) out.push_back(has ? std::optional<Tensor>(saved[k++]) : std::nullopt);
  return out;
}

std::vector<bool> present_of(const Indices& indices) {
  std::vector<bool> present;
  for (const auto& e : indices) present.push_back(e && e->defined());
  return present;
}

// Saves the index tensors on a node, so that the formula finds them and an in-place
// change to one is caught.
void save_indices(const std::shared_ptr<autograd::FunctionNode>& node, const Indices& indices) {
  if (!node) return;
  for (const auto& e : indices) {
    if (e && e->defined()) node->saved.emplace_back(*e, false);
  }
}

// Writes values into x at the indexed positions, without recording; every check runs
// before the first write.
void put(Caller caller, const Tensor& x, const Indices& indices, const Tensor& values, bool accumulate) {
  static const Op<TensorKernel> op("index_put");
  const char* name = caller.op;
  LT_CHECK(values.defined(), ValueError, name, "undefined values");
  autograd::NoGradGuard no_grad;
  Plan p = make_plan(caller, true, x, indices);
  // Values broadcast to the result, as in PyTorch (no extra leading dims).
  bool ok = values.dim() <= static_cast<int64_t>(p.result_shape.size());
  for (int64_t i = 1; ok && i <= values.dim(); ++i) {
    const int64_t v = values.size(-i), r = p.result_shape[p.result_shape.size() - i];
    ok = v == r || v == 1;
  }
  LT_CHECK(ok, ShapeError, name, "shape mismatch: value tensor of shape ", str(values.sizes()),
           " cannot be broadcast to indexing result of shape ", str(p.result_shape));
  LT_CHECK(values.device() == x.device(), DeviceError, name, "values on ", values.device().str(),
           " cannot be written to a tensor on ", x.device().str());
  for (int64_t k = 0; k < x.dim(); ++k) {
    LT_CHECK(x.stride(k) != 0 || x.size(k) <= 1, ValueError, name,
             "cannot write into a tensor whose elements share memory (shape ", str(x.sizes()), ", strides ",
             str(x.strides()), "); clone it first");
  }
  Tensor v = values.to(x.dtype());
  if (v.storage() == x.storage()) v = v.clone();  // the write must not change what it reads
  if (p.rows == 0 || checked_numel(p.rest_sizes, name) == 0) return;
  // values as (rows, rest...): the index dims to the front, merged.
  Tensor ve = v.expand(p.result_shape);
  const int64_t ni = static_cast<int64_t>(p.index_shape.size()), nr = static_cast<int64_t>(p.result_shape.size());
  Shape order;
  for (int64_t k = 0; k < ni; ++k) order.push_back(p.before + k);
  for (int64_t k = 0; k < nr; ++k) {
    if (k < p.before || k >= p.before + ni) order.push_back(k);
  }
  Shape row_shape{p.rows};
  for (int64_t s : p.rest_sizes) row_shape.push_back(s);
  Tensor rows = ve.permute(order).reshape(row_shape);
  if (accumulate && is_floating(x.dtype()) && are_deterministic_algorithms_enabled()) {
    // Float sums depend on their order, and a GPU's atomics add in any order: the rows
    // landing on one offset are summed first, in row order, by embedding's deterministic
    // kernel, and each offset is then added to once.
    static const Op<TensorKernel> sum_rows("embedding_backward");
    auto [unique_offsets, inverse, counts] = unique(p.offsets.reshape({-1}), true);
    const int64_t width = rows.numel() / p.rows;
    Tensor summed = empty({unique_offsets.numel(), width}, rows.dtype(), rows.device());
    Tensor sum_tensors[] = {summed, rows.contiguous().view({p.rows, width}), inverse.reshape({-1})};
    const Scalar sum_args[] = {Scalar(-1)};
    dispatch(sum_rows, std::span<Tensor>(sum_tensors), ScalarList(sum_args));
    Shape summed_shape{unique_offsets.numel()};
    for (int64_t s : p.rest_sizes) summed_shape.push_back(s);
    rows = summed.view(summed_shape);
    p.offsets = unique_offsets;
  }
  Tensor tensors[] = {rest_of(x, p), rows, p.offsets};
  const Scalar args[] = {accumulate};
  dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
  x.bump_version();
}

Tensor index_put_impl(Caller caller, const Tensor& x, const Indices& indices, const Tensor& values, bool accumulate) {
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    y = x.clone();
    put(caller, y, indices, values, accumulate);
  }
  if (autograd::any_requires_grad(x, values)) {
    // d/dx: the gradient, less the overwritten positions; d/dvalues: the gradient at
    // the written positions (summed back to values' shape by the node).
    auto node = autograd::record("index_put", {x, values}, {y}, {}, [present = present_of(indices), accumulate](const Backward& d) {
      const Tensor& g = d.grad();
      Indices idx = restore(present, d.saved);
      Tensor gx, gv;
      if (d.needs[0]) gx = accumulate ? g : index_put(g, idx, zeros({}, g.dtype(), g.device()), false);
      if (d.needs[1]) gv = index(g, idx);
      return TensorList{gx, gv};
    });
    save_indices(node, indices);
  }
  return y;
}

Tensor gather_rows(Caller caller, const Tensor& x, const Indices& indices) {
  static const Op<TensorKernel> op("index");
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    Plan p = make_plan(caller, false, x, indices);
    out = empty(p.result_shape, x.dtype(), x.device());
    if (out.numel() > 0) {
      Tensor tensors[] = {rows_of_result(out, p), rest_of(x, p), p.offsets};
      dispatch(op, std::span<Tensor>(tensors), {});
    }
  }
  if (autograd::any_requires_grad(x)) {
    // The gradient lands where the elements came from, adding up over repeats.
    auto node = autograd::record("index", {x}, {out}, {}, [present = present_of(indices), shape = x.sizes()](const Backward& d) {
      const Tensor& g = d.grad();
      return TensorList{index_put(zeros(shape, g.dtype(), g.device()), restore(present, d.saved), g, true)};
    });
    save_indices(node, indices);
  }
  return out;
}

}  // namespace

Tensor index(const Tensor& x, const Indices& indices) { return gather_rows(Caller::Wrapping("index"), x, indices); }

Tensor index_put(const Tensor& x, const Indices& indices, const Tensor& values, bool accumulate) {
  LT_AUTOCAST(index_put, x, indices, values, accumulate);
  return index_put_impl(Caller::Wrapping("index_put"), x, indices, values, accumulate);
}

Tensor index_for(const char* op, const Tensor& x, const Indices& indices, bool wraps) {
  return gather_rows({op, wraps}, x, indices);
}

Tensor index_put_for(const char* op, const Tensor& x, const Indices& indices, const Tensor& values, bool accumulate,
                     bool wraps) {
  return index_put_impl({op, wraps}, x, indices, values, accumulate);
}

Tensor& index_put_(Tensor& x, const Indices& indices, const Tensor& values, bool accumulate) {
  LT_CHECK(x.defined(), ValueError, "index_put_", "undefined tensor");
  LT_CHECK(values.defined(), ValueError, "index_put_", "undefined values");
  // Integer and bool destinations hold no gradient, as in copy_.
  if (is_floating(x.dtype()) && autograd::inplace_recording(x, values)) {
    autograd::check_inplace("index_put_", x);
    // Computed out of place (recorded with x's old value as its first input), then
    // written; through a view, the base's history is rebased.
    Tensor r = index_put_impl(Caller::Wrapping("index_put_"), x, indices, values, accumulate);
    autograd::assign_inplace(x, r);
    return x;
  }
  autograd::check_inplace("index_put_", x);
  put(Caller::Wrapping("index_put_"), x, indices, values, accumulate);
  return x;
}

Tensor nonzero(const Tensor& x) {
  static const Op<TensorKernel> count_op("nonzero_count"), op("nonzero");
  LT_CHECK(x.defined(), ValueError, "nonzero", "undefined tensor");
  autograd::NoGradGuard no_grad;
  Tensor flat = x.contiguous();
  constexpr int64_t kBlock = int64_t{1} << 16;
  const int64_t blocks = (x.numel() + kBlock - 1) / kBlock;
  Tensor counts = empty({blocks}, DType::Int64, x.device());
  const Scalar args[] = {kBlock};
  Tensor count_tensors[] = {counts, flat};
  dispatch(count_op, std::span<Tensor>(count_tensors), ScalarList(args));
  const int64_t total = blocks == 0 ? 0 : sum(counts).item<int64_t>();
  Tensor out = empty({total, x.dim()}, DType::Int64, x.device());
  if (total > 0) {
    Tensor tensors[] = {out, flat, counts};
    dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
  }
  return out;
}

}  // namespace lt
