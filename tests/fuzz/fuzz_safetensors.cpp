// libFuzzer target for the safetensors parser: any input must parse or throw
// FormatError, never crash, read out of bounds or allocate without bound (run under
// AddressSanitizer and UBSan; docs/serialization.md has the figures of a long run).
#include <cstddef>
#include <cstdint>

#include "libtensor/error.h"
#include "../../src/serialization/safetensors_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto parsed = lt::safetensors::format::parse(data, size);
    // Touch every byte the parser vouched for, so that a wrong bound shows up as an
    // out-of-bounds read here.
    volatile uint8_t sink = 0;
    for (const auto& e : parsed.entries)
      for (uint64_t i = e.begin; i < e.end; ++i) sink = sink ^ data[parsed.data_start + i];
    (void)sink;
  } catch (const lt::FormatError&) {
  }
  return 0;
}
