// Saving and loading tensors in the safetensors format: an 8-byte little-endian header
// length, a JSON header naming each tensor's dtype, shape and byte range, then the raw
// bytes. Nothing in a file is executed or trusted: the loader validates every field
// before it touches the data (docs/serialization.md lists the rules).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "libtensor/tensor.h"

namespace lt {

// The lowercase hex SHA-256 digest of `size` bytes.
std::string sha256_hex(const void* data, size_t size);

namespace safetensors {

using Metadata = std::map<std::string, std::string>;
using TensorMap = std::map<std::string, Tensor>;

struct File {
  TensorMap tensors;
  Metadata metadata;  // the header's "__metadata__" (empty when it has none)
};

// Metadata keys of provenance: the writer's version and one SHA-256 per tensor.
inline constexpr std::string_view kVersionKey = "libtensor.version";
inline constexpr std::string_view kHashPrefix = "libtensor.sha256.";

// The bytes of a safetensors file holding `tensors` (any layout; written contiguous,
// little-endian). With provenance, metadata also records libtensor's version and the
// SHA-256 of each tensor's bytes, which load(..., verify=true) checks.
std::string save(const TensorMap& tensors, const Metadata& metadata = {}, bool provenance = false);
void save_file(const TensorMap& tensors, const std::string& path, const Metadata& metadata = {},
               bool provenance = false);

// Validates the bytes and returns tensors with their own (copied) storage. verify
// requires the provenance hashes and checks each tensor against its hash. Broken input is
// a FormatError whose message starts with "[safetensors]".
File load(std::string_view bytes, bool verify = false);
// Maps the file instead of reading it: tensors whose bytes are aligned for their dtype
// share the (private, copy-on-write) mapping, which lives as long as any of them.
File load_file(const std::string& path, bool verify = false);

}  // namespace safetensors
}  // namespace lt
