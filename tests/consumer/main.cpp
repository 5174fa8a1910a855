#include <libtensor/libtensor.h>

#include <iostream>

int main() {
  lt::Tensor x = lt::arange(6, lt::DType::Float64);
  std::cout << "sum=" << lt::sum(x).item<double>() << "\n";
  return 0;
}
