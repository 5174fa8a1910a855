// Internal: attaching history to tensors.
#pragma once

#include "libtensor/autograd/function_node.h"

namespace lt::autograd {

// Makes `t` output `nr` of `node`.
void set_history(const Tensor& t, std::shared_ptr<Node> node, uint32_t nr);

// record() for lists; outputs whose `differentiable` entry is false get no history.
std::shared_ptr<FunctionNode> record_node(const char* op, std::span<const Tensor> inputs,
                                          std::span<const Tensor> outputs, std::span<const Tensor> saved,
                                          Formula formula, const std::vector<bool>* differentiable);

// A leaf's accumulator, made on first use and shared by every graph that reaches the leaf.
std::shared_ptr<Node> grad_accumulator(const Tensor& leaf);

}  // namespace lt::autograd
