#include "libtensor/scalar.h"

#include <cmath>
#include <sstream>

namespace lt {

std::string Scalar::str() const {
  if (kind_ == Kind::Bool) return v_.i ? "True" : "False";
  if (kind_ == Kind::Int) return std::to_string(v_.i);
  std::ostringstream s;
  s << v_.d;
  return s.str();
}

}  // namespace lt
