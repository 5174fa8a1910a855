// Where an operator's random numbers come from: the Philox key (seed) and the first
// counter (offset) the generator handed out, and how many 32-bit words each element
// draws. Every backend reads the same arguments, so the same seed gives the same numbers.
#pragma once

#include <cstdint>

#include "libtensor/registry.h"

namespace lt::common {

struct Stream {
  uint64_t seed, offset;
  int words;
};

inline Stream stream(ScalarList args) {
  return {static_cast<uint64_t>(args[0].to_int()), static_cast<uint64_t>(args[1].to_int()),
          static_cast<int>(args[2].to_int())};
}

}  // namespace lt::common
