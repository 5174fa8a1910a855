// Out-of-tree operators and kernels. A shared library includes this header, defines its
// operators and kernels with the macros below, and a program loads it with
// lt::load_library(path). See docs/adding-an-operator.md.
#pragma once

#include <string>

#include "libtensor/iterator.h"
#include "libtensor/registry.h"

namespace lt {

// dlopen()s a library whose static initializers register operators and kernels.
// Throws ValueError naming the path (and the loader's message) when it cannot be loaded.
void load_library(const std::string& path);

struct FunctionRegistrar {
  template <class Sig, class KernelSig>
  FunctionRegistrar(std::string_view op, Sig* fn, KernelSig*) {
    Registry& r = Registry::global();
    r.set_function(r.intern(op, typeid(KernelSig)), reinterpret_cast<AnyFn>(fn), typeid(Sig));
  }
};

}  // namespace lt

// Makes `fn` (the operator's device-independent definition: checks, output, dispatch)
// callable by name, and fixes the operator's kernel signature:
//   LT_DEFINE_OPERATOR("myext::scaled_add", scaled_add, lt::TensorKernel);
#define LT_DEFINE_OPERATOR(op_name, fn, KernelSig)                                        \
  static const ::lt::FunctionRegistrar LT_CONCAT(lt_function_registrar_, __COUNTER__)(    \
      op_name, &fn, static_cast<KernelSig*>(nullptr))
