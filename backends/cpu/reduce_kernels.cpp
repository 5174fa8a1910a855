// Reduction kernels: each is a reducer (identity, combine, lift) handed to reduce().
#include <cmath>
#include <limits>

#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {
namespace {

// Integers accumulate in int64, floats in float (double for float64).
template <class T>
using acc_t = std::conditional_t<std::is_integral_v<T>, int64_t, std::conditional_t<std::is_same_v<T, double>, double, float>>;

template <class Acc>
struct Sum {
  Acc identity() const { return Acc(0); }
  Acc combine(Acc a, Acc b) const { return a + b; }
  template <class C>
  Acc lift(C x) const { return static_cast<Acc>(x); }
};

template <class Acc>
struct Prod {
  Acc identity() const { return Acc(1); }
  Acc combine(Acc a, Acc b) const {
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));  // wraps, never UB
    } else {
      return a * b;
    }
  }
  template <class C>
  Acc lift(C x) const { return static_cast<Acc>(x); }
};

// NaN wins, as in PyTorch.
template <class Acc, bool IsMax>
struct Extreme {
  static constexpr bool kFloat = is_floating(dtype_v<Acc>);
  Acc identity() const {
    if constexpr (kFloat) {
      constexpr float inf = std::numeric_limits<float>::infinity();
      return static_cast<Acc>(IsMax ? -inf : inf);
    } else {
      return IsMax ? std::numeric_limits<Acc>::lowest() : std::numeric_limits<Acc>::max();
    }
  }
  Acc combine(Acc a, Acc b) const {
    if constexpr (kFloat) {
      if (a != a) return a;
      if (b != b) return b;
    }
    return IsMax ? (a < b ? b : a) : (b < a ? b : a);
  }
  template <class C>
  Acc lift(C x) const { return static_cast<Acc>(x); }
};

template <bool IsAll>
struct Truth {
  bool identity() const { return IsAll; }
  bool combine(bool a, bool b) const { return IsAll ? (a && b) : (a || b); }
  template <class C>
  bool lift(C x) const { return x != C(0); }
};

template <class Make>
void by_input(TensorIterator& iter, Make make) {
  visit_dtype(iter.dtype(1), [&](auto tag) { make(tag); });
}

void sum_kernel(TensorIterator& iter, ScalarList) {
  by_input(iter, [&](auto tag) {
    using T = decltype(tag);
    using Acc = acc_t<compute_t<T>>;
    reduce<T, Acc>(iter, Sum<Acc>{});
  });
}
LT_REGISTER_KERNEL("sum", CPU, IterKernel, sum_kernel);

void prod_kernel(TensorIterator& iter, ScalarList) {
  by_input(iter, [&](auto tag) {
    using T = decltype(tag);
    using Acc = acc_t<compute_t<T>>;
    reduce<T, Acc>(iter, Prod<Acc>{});
  });
}
LT_REGISTER_KERNEL("prod", CPU, IterKernel, prod_kernel);

template <bool IsMax>
void extreme_kernel(TensorIterator& iter, ScalarList) {
  by_input(iter, [&](auto tag) {
    using T = decltype(tag);
    reduce<T, T>(iter, Extreme<T, IsMax>{});
  });
}

void all_kernel(TensorIterator& iter, ScalarList) {
  by_input(iter, [&](auto tag) { reduce<decltype(tag), bool>(iter, Truth<true>{}); });
}
LT_REGISTER_KERNEL("all", CPU, IterKernel, all_kernel);

void any_kernel(TensorIterator& iter, ScalarList) {
  by_input(iter, [&](auto tag) { reduce<decltype(tag), bool>(iter, Truth<false>{}); });
}
LT_REGISTER_KERNEL("any", CPU, IterKernel, any_kernel);

// tensors: values [K], indices [K], rows [K, R] contiguous. The first extreme wins;
// a NaN is the extreme of its row.
template <bool IsMax>
void extreme_dim_kernel(std::span<Tensor> t, ScalarList) {
  const int64_t K = t[2].size(0), R = t[2].size(1);
  visit_dtype(t[2].dtype(), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    const T* in = t[2].data_ptr<T>();
    T* values = t[0].data_ptr<T>();
    int64_t* indices = t[1].data_ptr<int64_t>();
    parallel_for(0, K, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(R, 1)), [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) {
        const T* row = in + k * R;
        C best = static_cast<C>(row[0]);
        int64_t at = 0;
        for (int64_t i = 1; i < R; ++i) {
          if constexpr (std::is_floating_point_v<C>) {
            if (best != best) break;
          }
          const C v = static_cast<C>(row[i]);
          bool better = IsMax ? v > best : v < best;
          if constexpr (std::is_floating_point_v<C>) better |= v != v;
          if (better) {
            best = v;
            at = i;
          }
        }
        values[k] = row[at];
        indices[k] = at;
      }
    });
  });
}

}  // namespace

LT_REGISTER_KERNEL("amax", CPU, IterKernel, extreme_kernel<true>);
LT_REGISTER_KERNEL("amin", CPU, IterKernel, extreme_kernel<false>);
LT_REGISTER_KERNEL("max_dim", CPU, TensorKernel, extreme_dim_kernel<true>);
LT_REGISTER_KERNEL("min_dim", CPU, TensorKernel, extreme_dim_kernel<false>);

}  // namespace lt::cpu
