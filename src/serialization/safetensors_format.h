// The safetensors format without tensors: the dtype codes, and the validating parser of
// a file's bytes. Kept apart from Tensor so that the fuzz target builds it alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libtensor/dtype.h"

namespace lt::safetensors::format {

// "F32", "BF16", "BOOL", ...
std::string_view dtype_code(DType t);
std::optional<DType> dtype_from_code(std::string_view code);

struct Entry {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t begin, end;  // byte offsets relative to the start of the data buffer
};

struct Parsed {
  std::vector<Entry> entries;  // in name order
  std::map<std::string, std::string> metadata;
  size_t data_start = 0;  // 8 + header length
};

// Caps the header so that a hostile length cannot make the parser allocate much.
inline constexpr uint64_t kMaxHeaderBytes = 100'000'000;
// Caps the lists of a header (shapes, offsets) while parsing.
inline constexpr size_t kMaxListLength = 1024;
// The most dimensions a libtensor tensor has (make_tensor's limit, src/tensor.cpp).
inline constexpr size_t kMaxDims = 64;

// Validates the whole file (header, every entry, the layout of the buffer, the bytes of
// BOOL tensors) and throws FormatError naming what is wrong; reads nothing outside
// [data, data + size).
Parsed parse(const uint8_t* data, size_t size);

}  // namespace lt::safetensors::format
