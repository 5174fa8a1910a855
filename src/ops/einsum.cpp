// einsum: a composition. Each operand's repeated subscripts become diagonals, then every
// operand is laid out over all the equation's labels (size 1 where it lacks one), and
// the operands are contracted left to right: labels no later operand or the output needs
// are summed, by bmm where both sides have them, by sum where one side does. Its
// derivative comes from the views, sums, muls and bmms it runs.
#include <algorithm>
#include <array>
#include <string>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

constexpr int kLetters = 52;  // 'A'-'Z', then 'a'-'z'; ellipsis dims come after

int label_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
  return -1;
}

std::string subscript_name(int label) {
  if (label >= kLetters) return "...";
  return std::string(1, label < 26 ? static_cast<char>('A' + label) : static_cast<char>('a' + label - 26));
}

// One term's subscripts: letters and where "..." stands (-1 if absent).
struct Term {
  std::vector<int> letters;
  int ellipsis_at = -1;
};

Term parse_term(std::string_view s, std::string_view equation) {
  Term t;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      LT_CHECK(s.substr(i, 3) == "..." && t.ellipsis_at < 0, ValueError, "einsum",
               "invalid ellipsis in subscripts \"", s, "\" of \"", equation, "\"");
      t.ellipsis_at = static_cast<int>(t.letters.size());
      i += 2;
      continue;
    }
    const int l = label_of(s[i]);
    LT_CHECK(l >= 0, ValueError, "einsum", "invalid subscript '", s[i], "' in \"", equation,
             "\": subscripts must be letters in [a-zA-Z]");
    t.letters.push_back(l);
  }
  return t;
}

// The labels of each dim of an operand: letters, and kLetters + j for ellipsis dim j of
// `ell` (aligned on the right, as broadcasting does).
std::vector<int> dim_labels(const Term& t, int64_t ndim, int64_t ell, int64_t index) {
  const int64_t covered = ndim - static_cast<int64_t>(t.letters.size());
  LT_CHECK(covered >= 0 && (t.ellipsis_at >= 0 || covered == 0), ShapeError, "einsum", "operand ", index, " has ",
           ndim, " dims but its subscripts name ", t.letters.size());
  std::vector<int> labels;
  for (size_t i = 0; i <= t.letters.size(); ++i) {
    if (static_cast<int>(i) == t.ellipsis_at) {
      for (int64_t j = 0; j < covered; ++j) labels.push_back(static_cast<int>(kLetters + ell - covered + j));
    }
    if (i < t.letters.size()) labels.push_back(t.letters[i]);
  }
  return labels;
}

// Takes the diagonal of repeated labels, then lays x out over `all` labels.
Tensor align(Tensor x, std::vector<int> labels, const std::vector<int>& all, int64_t index) {
  for (size_t i = 0; i < labels.size(); ++i) {
    for (size_t j = i + 1; j < labels.size(); ++j) {
      if (labels[i] != labels[j]) continue;
      LT_CHECK(x.size(i) == x.size(j), ShapeError, "einsum", "subscript '", subscript_name(labels[i]),
               "' is repeated for operand ", index, " but the sizes don't match, ", x.size(i), " != ", x.size(j));
      // diagonal() removes both dims and appends the diagonal last.
      x = x.diagonal(0, static_cast<int64_t>(i), static_cast<int64_t>(j));
      const int l = labels[i];
      labels.erase(labels.begin() + j);
      labels.erase(labels.begin() + i);
      labels.push_back(l);
      i = static_cast<size_t>(-1);  // start over
      break;
    }
  }
  Shape order, shape;
  for (int l : all) {
    auto it = std::find(labels.begin(), labels.end(), l);
    if (it != labels.end()) {
      order.push_back(it - labels.begin());
      shape.push_back(x.size(it - labels.begin()));
    } else {
      shape.push_back(1);
    }
  }
  return x.permute(order).reshape(shape);
}

// a and b laid out over the same labels, `has_a` / `has_b` saying which labels they have
// (the others are size-1 placeholders); sums the dims in `sum`, keeps the others. `has`
// receives the labels of the result.
Tensor contract(Tensor a, const std::vector<bool>& has_a, Tensor b, const std::vector<bool>& has_b,
                const std::vector<bool>& sum, std::vector<bool>& has) {
  const int64_t n = static_cast<int64_t>(sum.size());
  // Labels summed on one side only are summed there first; as torch.einsum, these sums
  // promote integers to int64 while the products keep the dtype.
  Shape sum_a, sum_b;
  has.assign(n, false);
  for (int64_t d = 0; d < n; ++d) {
    has[d] = !sum[d] && (has_a[d] || has_b[d]);
    if (!sum[d]) continue;
    if (has_a[d] && !has_b[d]) sum_a.push_back(d);
    if (has_b[d] && !has_a[d]) sum_b.push_back(d);
    // A label both sum that one side broadcasts from size 1.
    if (has_a[d] && has_b[d] && a.size(d) != b.size(d)) {
      Shape sa = a.sizes(), sb = b.sizes();
      sa[d] = sb[d] = std::max(a.size(d), b.size(d));
      a = a.expand(sa);
      b = b.expand(sb);
    }
  }
  if (!sum_a.empty()) a = lt::sum(a, sum_a, true);
  if (!sum_b.empty()) b = lt::sum(b, sum_b, true);
  if (a.dtype() != b.dtype()) {
    const DType t = result_type({a, b});
    a = a.to(t);
    b = b.to(t);
  }
  Shape batch, left, right, summed;
  for (int64_t d = 0; d < n; ++d) {
    const bool in_a = a.size(d) != 1, in_b = b.size(d) != 1;
    if (sum[d]) {
      if (has_a[d] && has_b[d] && in_a) summed.push_back(d);
    } else if (in_a && in_b) {
      batch.push_back(d);
    } else if (in_a) {
      left.push_back(d);
    } else if (in_b) {
      right.push_back(d);
    }
  }
  if (summed.empty()) return mul(a, b);  // nothing to contract: a broadcast product
  auto size_of = [](const Tensor& t, const Shape& dims) {
    int64_t s = 1;
    for (int64_t d : dims) s *= t.size(d);
    return s;
  };
  auto others = [n](const Shape& first, const Shape& second, const Shape& third) {
    Shape order;
    for (const Shape* part : {&first, &second, &third}) {
      for (int64_t d : *part) order.push_back(d);
    }
    for (int64_t d = 0; d < n; ++d) {
      if (std::find(order.begin(), order.end(), d) == order.end()) order.push_back(d);
    }
    return order;
  };
  const int64_t nb = size_of(a, batch), ns = size_of(a, summed);
  Tensor a3 = a.permute(others(batch, left, summed)).reshape({nb, size_of(a, left), ns});
  Tensor b3 = b.permute(others(batch, summed, right)).reshape({nb, ns, size_of(b, right)});
  Tensor r = bmm(a3, b3);
  // Back to the common layout: batch, left and right dims in their places, 1 elsewhere.
  Shape r_shape, labels_of_r;
  for (const Shape* part : {&batch, &left, &right}) {
    for (int64_t d : *part) {
      r_shape.push_back((part == &right ? b : a).size(d));
      labels_of_r.push_back(d);
    }
  }
  r = r.reshape(r_shape);
  Shape order(labels_of_r.size()), shape(n, 1);
  Shape sorted = labels_of_r;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) {
    order[i] = std::find(labels_of_r.begin(), labels_of_r.end(), sorted[i]) - labels_of_r.begin();
    shape[sorted[i]] = r_shape[order[i]];
  }
  return r.permute(order).reshape(shape);
}

}  // namespace

Tensor einsum(std::string_view equation, const std::vector<Tensor>& operands) {
  LT_AUTOCAST(einsum, equation, operands);
  std::string eq;
  for (char c : equation) {
    if (c != ' ') eq.push_back(c);
  }
  LT_CHECK(!operands.empty(), ValueError, "einsum", "must be given at least one operand");
  const size_t arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  std::vector<Term> terms;
  for (size_t start = 0;;) {
    const size_t comma = lhs.find(',', start);
    terms.push_back(parse_term(std::string_view(lhs).substr(start, comma - start), equation));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  LT_CHECK(terms.size() == operands.size(), ValueError, "einsum", "\"", equation, "\" has ", terms.size(),
           " operand subscripts but ", operands.size(), " operands were given");
  // Ellipsis dims: as many as the widest operand's.
  int64_t ell = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    const int64_t covered = operands[i].dim() - static_cast<int64_t>(terms[i].letters.size());
    if (terms[i].ellipsis_at >= 0) ell = std::max(ell, covered);
  }
  std::vector<std::vector<int>> labels;
  std::array<int, kLetters> count{};
  for (size_t i = 0; i < terms.size(); ++i) {
    labels.push_back(dim_labels(terms[i], operands[i].dim(), ell, static_cast<int64_t>(i)));
    for (int l : terms[i].letters) ++count[l];
  }
  // The output: given, or the ellipsis dims and then the letters used once, in order.
  std::vector<int> out;
  if (arrow != std::string::npos) {
    Term t = parse_term(std::string_view(eq).substr(arrow + 2), equation);
    for (size_t i = 0; i <= t.letters.size(); ++i) {
      if (static_cast<int>(i) == t.ellipsis_at) {
        for (int64_t j = 0; j < ell; ++j) out.push_back(static_cast<int>(kLetters + j));
      }
      if (i == t.letters.size()) break;
      const int l = t.letters[i];
      LT_CHECK(count[l] > 0, ValueError, "einsum", "output subscript '", subscript_name(l),
               "' does not appear in the equation for any input operand");
      LT_CHECK(std::find(out.begin(), out.end(), l) == out.end(), ValueError, "einsum", "output subscript '",
               subscript_name(l), "' appears more than once in the output");
      out.push_back(l);
    }
  } else {
    for (int64_t j = 0; j < ell; ++j) out.push_back(static_cast<int>(kLetters + j));
    for (int l = 0; l < kLetters; ++l) {
      if (count[l] == 1) out.push_back(l);
    }
  }
  // Every label of the equation, and the operands laid out over them.
  std::vector<int> all;
  for (int l = 0; l < kLetters; ++l) {
    if (count[l] > 0) all.push_back(l);
  }
  for (int64_t j = 0; j < ell; ++j) all.push_back(static_cast<int>(kLetters + j));
  std::vector<Tensor> xs;
  DType dtype = operands[0].dtype();
  for (size_t i = 0; i < operands.size(); ++i) {
    LT_CHECK(operands[i].dtype() == dtype, DTypeError, "einsum", "operands must have one dtype, got ", name(dtype),
             " and ", name(operands[i].dtype()), " (operand ", i, ")");
    xs.push_back(align(operands[i], labels[i], all, static_cast<int64_t>(i)));
  }
  // Sizes agree or broadcast from 1.
  Shape size(all.size(), 1);
  for (size_t i = 0; i < xs.size(); ++i) {
    for (size_t d = 0; d < all.size(); ++d) {
      const int64_t s = xs[i].size(static_cast<int64_t>(d));
      LT_CHECK(s == 1 || size[d] == 1 || s == size[d], ShapeError, "einsum", "subscript '", subscript_name(all[d]),
               "' has size ", s, " for operand ", i, ", which does not broadcast with size ", size[d]);
      if (s != 1) size[d] = s;
    }
  }
  auto labels_had = [&](size_t i) {
    std::vector<bool> has(all.size());
    for (size_t d = 0; d < all.size(); ++d) has[d] = std::find(labels[i].begin(), labels[i].end(), all[d]) != labels[i].end();
    return has;
  };
  auto needed_after = [&](size_t i, size_t d) {
    if (std::find(out.begin(), out.end(), all[d]) != out.end()) return true;
    for (size_t k = i + 1; k < xs.size(); ++k) {
      if (labels_had(k)[d]) return true;
    }
    return false;
  };
  Tensor r = xs[0];
  std::vector<bool> has = labels_had(0);
  for (size_t i = 1; i < xs.size(); ++i) {
    std::vector<bool> sum(all.size()), has_r;
    for (size_t d = 0; d < all.size(); ++d) sum[d] = !needed_after(i, d);
    r = contract(r, has, xs[i], labels_had(i), sum, has_r);
    has = has_r;
  }
  // Sum what the output lacks, then put the output's labels in its order.
  Shape drop;
  std::vector<int> kept;
  for (size_t d = 0; d < all.size(); ++d) {
    if (std::find(out.begin(), out.end(), all[d]) == out.end()) drop.push_back(static_cast<int64_t>(d));
    else kept.push_back(all[d]);
  }
  // Placeholder dims are dropped without a sum, which would promote integers.
  Shape summed, kept_shape;
  for (int64_t d : drop) {
    if (has[d]) summed.push_back(d);
  }
  if (!summed.empty()) r = sum(r, summed, true);
  for (int64_t d = 0; d < r.dim(); ++d) {
    if (std::find(drop.begin(), drop.end(), d) == drop.end()) kept_shape.push_back(r.size(d));
  }
  r = r.reshape(kept_shape);
  Shape order;
  for (int l : out) order.push_back(std::find(kept.begin(), kept.end(), l) - kept.begin());
  return r.permute(order);
}

}  // namespace lt
