// Custom autograd functions: an operation defined by its forward and its backward.
//
//   struct Cube : lt::autograd::Function<Cube> {
//     static constexpr const char* name = "Cube";  // the node is "CubeBackward"
//     static Tensor forward(AutogradContext* ctx, const Tensor& x) {
//       ctx->save_for_backward({x});
//       return x * x * x;
//     }
//     static TensorList backward(AutogradContext* ctx, TensorList grads) {
//       Tensor x = ctx->get_saved_variables()[0];
//       return {grads[0] * 3 * x * x};
//     }
//   };
//   Tensor y = Cube::apply(x);
//
// forward runs without recording; backward is written with ordinary operators, so it is
// recorded in turn under create_graph and differentiates again.
#pragma once

#include <any>
#include <map>
#include <string>
#include <type_traits>

#include "libtensor/autograd/function_node.h"

namespace lt::autograd {

class AutogradContext {
 public:
  // Tensors (inputs or outputs) that backward reads, checked for in-place changes.
  void save_for_backward(TensorList tensors) { to_save_ = std::move(tensors); }
  TensorList get_saved_variables() const;
  // Outputs that get no gradient (indices, masks).
  void mark_non_differentiable(const TensorList& outputs);
  // Whether input i (counting tensor arguments only) needs a gradient.
  bool needs_input_grad(size_t i) const { return i < needs_input_grad_.size() && needs_input_grad_[i]; }
  // Anything else backward needs: sizes, flags, numbers.
  std::map<std::string, std::any> saved_data;

 private:
  friend TensorList apply_function(const char*, const std::shared_ptr<AutogradContext>&, const TensorList&,
                                   const std::function<TensorList()>&,
                                   std::function<TensorList(AutogradContext&, TensorList)>);
  TensorList to_save_;
  TensorList saved_;  // unpacked, while backward runs
  bool released_ = false;
  std::vector<bool> needs_input_grad_;
  TensorList non_differentiable_;
};

// Runs `forward` without recording, then records its outputs as the outputs of one node
// whose derivative is `backward`. The building block of Function and of Python's.
TensorList apply_function(const char* name, const std::shared_ptr<AutogradContext>& ctx, const TensorList& inputs,
                          const std::function<TensorList()>& forward,
                          std::function<TensorList(AutogradContext&, TensorList)> backward);

template <class Derived>
struct Function {
  template <class... Args>
  static auto apply(Args&&... args) {
    auto ctx = std::make_shared<AutogradContext>();
    TensorList inputs;
    (collect(inputs, args), ...);
    using Out = decltype(Derived::forward(ctx.get(), std::forward<Args>(args)...));
    Out out;
    apply_function(
        node_name(), ctx, inputs,
        [&] {
          out = Derived::forward(ctx.get(), std::forward<Args>(args)...);
          if constexpr (std::is_same_v<Out, Tensor>) {
            return TensorList{out};
          } else {
            return TensorList(out.begin(), out.end());
          }
        },
        [](AutogradContext& c, TensorList grads) { return Derived::backward(&c, std::move(grads)); });
    return out;
  }

 private:
  template <class A>
  static void collect(TensorList& inputs, const A& arg) {
    if constexpr (std::is_convertible_v<const A&, const Tensor&>) inputs.push_back(arg);
  }
  static const char* node_name() {
    if constexpr (requires { Derived::name; }) {
      return Derived::name;
    } else {
      return "CustomFunction";
    }
  }
};

}  // namespace lt::autograd
