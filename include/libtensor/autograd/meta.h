// What a tensor knows about gradients. Only tensors that take part in autograd carry
// one, so plain tensors pay one null pointer.
#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "libtensor/autograd/node.h"

namespace lt::autograd {

struct AutogradMeta {
  bool requires_grad = false;  // set by the user, on leaves
  bool retains_grad = false;
  Tensor grad;
  std::shared_ptr<Node> grad_fn;  // null for leaves
  uint32_t output_nr = 0;         // which output of grad_fn this tensor is
  // For views: the version when grad_fn was set. An in-place write anywhere on the base
  // bumps the version and makes grad_fn stale, to be rebuilt from the base.
  uint64_t view_version = 0;
  std::weak_ptr<Node> grad_accumulator;  // leaves only; the node owns the leaf
  std::vector<std::pair<int, Hook>> leaf_hooks;
  std::vector<std::pair<int, PostAccumulateHook>> post_accumulate_hooks;
  std::mutex mutex;  // guards grad_accumulator and grad when graphs share a leaf
};

}  // namespace lt::autograd
