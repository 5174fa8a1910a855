// Tuples of elements as rows: cartesian_prod (a flattened meshgrid) and combinations
// (the element indices chosen on the host, then one index_select).
#include "helpers.h"

namespace lt {

Tensor cartesian_prod(const std::vector<Tensor>& tensors) {
  return named("cartesian_prod", [&] {
    LT_CHECK(!tensors.empty(), ValueError, "cartesian_prod", "expects at least one tensor");
    for (size_t i = 0; i < tensors.size(); ++i) {
      LT_CHECK(tensors[i].dim() == 1, ShapeError, "cartesian_prod", "expects 1-D tensors, got shape ",
               str(tensors[i].sizes()), " for tensor ", i);
    }
    if (tensors.size() == 1) return tensors[0];
    std::vector<Tensor> columns = meshgrid(tensors, "ij");
    for (Tensor& c : columns) c = c.reshape({-1});
    return stack(columns, 1);
  });
}

namespace {

// The index tuples of r-combinations of n, in lexicographic order, flattened.
std::vector<int64_t> combination_indices(int64_t n, int64_t r, bool with_replacement) {
  std::vector<int64_t> out, pick(r);
  // pick[k] starts at pick[k - 1] (+ 1 without replacement); the last position that can
  // still grow advances, and those after it restart from it.
  const int64_t step = with_replacement ? 0 : 1;
  for (int64_t k = 0; k < r; ++k) pick[k] = k * step;
  auto limit = [&](int64_t k) { return with_replacement ? n - 1 : n - r + k; };
  if (r > 0 && pick[r - 1] >= n) return out;
  while (true) {
    out.insert(out.end(), pick.begin(), pick.end());
    int64_t k = r - 1;
    while (k >= 0 && pick[k] == limit(k)) --k;
    if (k < 0) return out;
    ++pick[k];
    for (int64_t j = k + 1; j < r; ++j) pick[j] = pick[j - 1] + step;
  }
}

}  // namespace

Tensor combinations(const Tensor& x, int64_t r, bool with_replacement) {
  return named("combinations", [&] {
    LT_CHECK(x.dim() == 1, ShapeError, "combinations", "expects a 1-D tensor, got shape ", str(x.sizes()));
    LT_CHECK(r >= 0, ValueError, "combinations", "r must be non-negative, got ", r);
    if (r == 0) return empty({0}, x.dtype(), x.device());
    const std::vector<int64_t> picks = combination_indices(x.size(0), r, with_replacement);
    const int64_t count = static_cast<int64_t>(picks.size()) / r;
    const Tensor index = from_vector(picks, {count * r}, x.device());
    return index_select(x, 0, index).reshape({count, r});
  });
}

}  // namespace lt
