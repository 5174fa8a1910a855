// PyTorch's result_type: dimensioned tensors outrank 0-dim tensors, which outrank
// Python numbers; a weaker group only matters when it is of a higher category
// (bool < integral < floating).
#include "helpers.h"

namespace lt {
namespace {

enum class Category { Bool, Integral, Floating };
Category category(DType t) {
  return t == DType::Bool ? Category::Bool : is_floating(t) ? Category::Floating : Category::Integral;
}

// Folds a weaker group's type into a stronger group's.
std::optional<DType> combine(std::optional<DType> strong, std::optional<DType> weak) {
  if (!strong) return weak;
  if (!weak) return strong;
  return category(*weak) > category(*strong) ? promote_types(*strong, *weak) : *strong;
}

void fold(std::optional<DType>& acc, DType t) { acc = acc ? promote_types(*acc, t) : t; }

}  // namespace

DType result_type(std::initializer_list<Operand> operands) {
  std::optional<DType> dimensioned, zero_dim, number;
  for (const Operand& o : operands) {
    if (o.tensor) {
      fold(o.tensor->dim() > 0 ? dimensioned : zero_dim, o.tensor->dtype());
    } else {
      fold(number, o.scalar->dtype());
    }
  }
  return combine(dimensioned, combine(zero_dim, number)).value_or(default_dtype());
}

bool can_cast(DType from, DType to) {
  if (is_floating(from) && !is_floating(to)) return false;
  if (from != DType::Bool && to == DType::Bool) return false;
  return true;
}

}  // namespace lt
