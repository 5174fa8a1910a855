// The main demo: tensors of several dtypes, views, broadcasting, reductions, random
// numbers, and an error message, on the CPU.
#include <libtensor/libtensor.h>

#include <iostream>

int main() {
  lt::manual_seed(0);
  lt::Tensor x = lt::arange(12, lt::DType::Float32).view({3, 4});
  std::cout << "x           = " << x.str() << "\n";
  std::cout << "x.t()       = " << x.t().str() << "\n";
  std::cout << "x[:, ::2]   = " << x.slice(1, 0, 4, 2).str() << "\n";

  lt::Tensor row = lt::from_vector<int64_t>({10, 20, 30, 40});
  std::cout << "x + row     = " << (x + row).str() << "  (int64 row promotes to float32)\n";
  std::cout << "exp(x / 4)  = " << lt::exp(x / 4).str() << "\n";
  std::cout << "x.sum(1)    = " << lt::sum(x, {1}).str() << "\n";
  std::cout << "x.var(0)    = " << lt::var(x, {0}).str() << "\n";
  auto [values, indices] = lt::max(x, 0);
  std::cout << "max over 0  = " << values.str() << " at " << indices.str() << "\n";
  std::cout << "randn(2, 3) = " << lt::randn({2, 3}).str() << "\n";
  std::cout << "half        = " << lt::sigmoid(x.to(lt::DType::Float16)).str() << "\n";

  try {
    lt::add(x, lt::ones({5}));
  } catch (const lt::ShapeError& e) {
    std::cout << "error       = " << e.what() << "\n";
  }

  std::size_t with_cpu = 0;
  auto ops = lt::Registry::global().list();
  for (const auto& op : ops) with_cpu += op.has_kernel[0];
  std::cout << ops.size() << " operators registered, " << with_cpu << " with CPU kernels\n";
  return 0;
}
