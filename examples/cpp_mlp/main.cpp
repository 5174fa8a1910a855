// Trains a two-layer MLP through libtensor's C++ API: three interleaved spirals of points in
// the plane, classified by 2-64-64-3 with ReLU, cross-entropy, autograd and the fused SGD
// step. Prints the loss as it goes and the final accuracy; exits non-zero below 95%.
#include <libtensor/libtensor.h>

#include <cmath>
#include <cstdio>
#include <vector>

namespace {

// n points per class along three arms of a spiral, with a little noise.
std::pair<lt::Tensor, lt::Tensor> spirals(int64_t n) {
  std::vector<float> xy;
  std::vector<int64_t> labels;
  lt::Tensor noise = lt::randn({3 * n, 2}) * 0.05f;
  const float* e = noise.data_ptr<float>();
  for (int64_t c = 0; c < 3; ++c) {
    for (int64_t i = 0; i < n; ++i) {
      const float r = static_cast<float>(i) / static_cast<float>(n);
      const float t = 4.0f * r + 2.0944f * static_cast<float>(c);  // three arms, 120 degrees apart
      const int64_t k = c * n + i;
      xy.push_back(r * std::sin(t) + e[2 * k]);
      xy.push_back(r * std::cos(t) + e[2 * k + 1]);
      labels.push_back(c);
    }
  }
  return {lt::from_vector(xy, {3 * n, 2}), lt::from_vector(labels)};
}

// A weight drawn as PyTorch's Linear draws it: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
lt::Tensor parameter(lt::Shape shape, int64_t fan_in) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
  lt::Tensor p = lt::rand(shape) * (2 * bound) - bound;
  p.requires_grad_();
  return p;
}

}  // namespace

int main() {
  lt::manual_seed(0);
  auto [x, y] = spirals(200);
  std::vector<lt::Tensor> params{parameter({64, 2}, 2), parameter({64}, 2), parameter({64, 64}, 64),
                                 parameter({64}, 64), parameter({3, 64}, 64), parameter({3}, 64)};
  auto forward = [&](const lt::Tensor& in) {
    lt::Tensor h = lt::relu(lt::linear(in, params[0], params[1]));
    h = lt::relu(lt::linear(h, params[2], params[3]));
    return lt::linear(h, params[4], params[5]);
  };
  std::vector<lt::Tensor> momentum;
  for (const lt::Tensor& p : params) momentum.push_back(lt::zeros(p.sizes()));
  for (int step = 0; step <= 1500; ++step) {
    lt::Tensor loss = lt::cross_entropy(forward(x), y);
    loss.backward();
    std::vector<lt::Tensor> grads;
    for (const lt::Tensor& p : params) grads.push_back(p.grad());
    // One kernel call updates every parameter and its momentum buffer (PyTorch's SGD).
    lt::_fused_sgd_(params, grads, momentum, /*lr=*/0.1, /*momentum=*/0.9, /*dampening=*/0, /*weight_decay=*/1e-4,
                    /*nesterov=*/false, /*maximize=*/false, /*first_step=*/step == 0);
    for (const lt::Tensor& p : params) p.set_grad(lt::Tensor());
    if (step % 300 == 0) std::printf("step %4d: loss %.4f\n", step, loss.item<float>());
  }
  lt::autograd::NoGradGuard no_grad;
  const double accuracy = lt::mean(lt::eq(lt::argmax(forward(x), 1), y).to(lt::DType::Float32)).item<float>();
  std::printf("accuracy %.1f%%\n", 100 * accuracy);
  return accuracy >= 0.95 ? 0 : 1;
}
