// safetensors files from and to tensors: the layout of a written file, the mapping of a
// read one, and provenance (version and per-tensor SHA-256) on top of the format.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "libtensor/error.h"
#include "libtensor/ops.h"
#include "libtensor/serialization.h"
#include "libtensor/version.h"
#include "safetensors_format.h"

namespace lt::safetensors {

static_assert(std::endian::native == std::endian::little,
              "safetensors stores little-endian bytes; a big-endian host would need byte swaps");

namespace {

constexpr const char* kOp = "safetensors";

Shape contiguous_strides(const std::vector<int64_t>& shape) {
  Shape strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

// The tensor of an entry with bytes of its own.
Tensor copied(const format::Entry& e, const uint8_t* buffer) {
  Tensor t = empty(Shape(e.shape), e.dtype);
  if (e.end > e.begin) std::memcpy(t.data(), buffer + e.begin, e.end - e.begin);
  return t;
}

void verify_hashes(const format::Parsed& parsed, const uint8_t* buffer) {
  LT_CHECK(parsed.metadata.count(std::string(kVersionKey)), FormatError, kOp,
           "verify=True, but the file has no libtensor provenance to check (save it with provenance=True)");
  std::map<std::string, const format::Entry*> by_name;
  for (const auto& e : parsed.entries) by_name[e.name] = &e;
  for (const auto& [key, value] : parsed.metadata)
    if (key.starts_with(kHashPrefix))
      LT_CHECK(by_name.count(key.substr(kHashPrefix.size())), FormatError, kOp, "provenance has a hash for tensor '",
               key.substr(kHashPrefix.size()), "', which the file does not hold");
  for (const auto& e : parsed.entries) {
    auto it = parsed.metadata.find(std::string(kHashPrefix) + e.name);
    LT_CHECK(it != parsed.metadata.end(), FormatError, kOp, "verify=True, but tensor '", e.name,
             "' has no SHA-256 in the provenance");
    std::string actual = sha256_hex(buffer + e.begin, e.end - e.begin);
    LT_CHECK(actual == it->second, FormatError, kOp, "tensor '", e.name, "' fails verification: its bytes hash to ",
             actual, ", the provenance records ", it->second, " (the file was modified or corrupted)");
  }
}

// An open read-only private mapping of a whole file, unmapped with its last tensor.
struct Mapping {
  void* base = MAP_FAILED;
  size_t size = 0;
  ~Mapping() {
    if (base != MAP_FAILED) munmap(base, size);
  }
};

void release_mapping(void*, void* ctx) { delete static_cast<std::shared_ptr<Mapping>*>(ctx); }

[[noreturn]] void file_error(const std::string& what, const std::string& path) {
  int code = errno;
  throw FileError(::lt::detail::cat("[", kOp, "] cannot ", what, " '", path, "': ", std::strerror(code)), code, path);
}

}  // namespace

std::string save(const TensorMap& tensors, const Metadata& metadata, bool provenance) {
  struct Item {
    std::string name;
    Tensor data;
  };
  std::vector<Item> items;
  for (const auto& [name, t] : tensors) {
    LT_CHECK(name != "__metadata__", ValueError, kOp, "'__metadata__' is reserved and cannot name a tensor");
    LT_CHECK(t.defined(), ValueError, kOp, "tensor '", name, "' is undefined");
    LT_CHECK(t.device() == kCPU, DeviceError, kOp, "tensor '", name, "' is on ", t.device().str(),
             "; move it to the CPU first");
    items.push_back({name, t.detach().contiguous()});
  }
  // As the reference implementation: larger elements first, then by name, so that with a
  // header padded to 8 bytes every tensor starts aligned for its dtype and loads without a copy.
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.data.itemsize() != b.data.itemsize() ? a.data.itemsize() > b.data.itemsize() : a.name < b.name;
  });

  Metadata meta = metadata;
  if (provenance) {
    meta[std::string(kVersionKey)] = kVersion;
    for (const Item& it : items) meta[std::string(kHashPrefix) + it.name] = sha256_hex(it.data.data(), it.data.nbytes());
  }
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!meta.empty()) header["__metadata__"] = meta;
  uint64_t offset = 0;
  for (const Item& it : items) {
    uint64_t n = it.data.nbytes();
    header[it.name] = {{"dtype", format::dtype_code(it.data.dtype())},
                       {"shape", std::vector<int64_t>(it.data.sizes().begin(), it.data.sizes().end())},
                       {"data_offsets", {offset, offset + n}}};
    offset += n;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::json::type_error&) {  // the only one dump throws: bytes that are not UTF-8
    fail<ValueError>(kOp, "tensor names and metadata must be valid UTF-8");
  }
  text.resize((text.size() + 7) / 8 * 8, ' ');

  std::string out(8 + text.size() + offset, '\0');
  uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  char* cursor = out.data() + 8 + text.size();
  for (const Item& it : items) {
    if (it.data.nbytes()) std::memcpy(cursor, it.data.data(), it.data.nbytes());
    cursor += it.data.nbytes();
  }
  return out;
}

void save_file(const TensorMap& tensors, const std::string& path, const Metadata& metadata, bool provenance) {
  std::string bytes = save(tensors, metadata, provenance);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) file_error("open for writing", path);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) file_error("write", path);
}

File load(std::string_view bytes, bool verify) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  format::Parsed parsed = format::parse(data, bytes.size());
  const uint8_t* buffer = data + parsed.data_start;
  if (verify) verify_hashes(parsed, buffer);
  File out;
  out.metadata = std::move(parsed.metadata);
  for (const auto& e : parsed.entries) out.tensors.emplace(e.name, copied(e, buffer));
  return out;
}

File load_file(const std::string& path, bool verify) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) file_error("open", path);
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int code = errno;
    ::close(fd);
    errno = code;
    file_error("stat", path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    fail<FormatError>(kOp, "'", path, "' is not a regular file");
  }
  auto mapping = std::make_shared<Mapping>();
  mapping->size = static_cast<size_t>(st.st_size);
  if (mapping->size == 0) {
    ::close(fd);
    format::parse(nullptr, 0);  // throws: too short
  }
  // Private and writable: tensors may be written in place without touching the file.
  mapping->base = mmap(nullptr, mapping->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  int code = errno;
  ::close(fd);
  if (mapping->base == MAP_FAILED) {
    errno = code;
    file_error("map", path);
  }

  const auto* data = static_cast<const uint8_t*>(mapping->base);
  format::Parsed parsed = format::parse(data, mapping->size);
  const uint8_t* buffer = data + parsed.data_start;
  if (verify) verify_hashes(parsed, buffer);

  File out;
  out.metadata = std::move(parsed.metadata);
  // One storage spans the mapping; each aligned tensor views it at its own offset.
  auto* ctx = new std::shared_ptr<Mapping>(mapping);
  Storage storage = std::make_shared<StorageImpl>(mapping->base, mapping->size, kCPU, release_mapping, ctx);
  for (const auto& e : parsed.entries) {
    uint64_t start = parsed.data_start + e.begin;
    int64_t size = itemsize(e.dtype);
    if (start % size == 0 && e.end > e.begin)
      out.tensors.emplace(e.name, make_tensor(storage, e.dtype, Shape(e.shape), contiguous_strides(e.shape),
                                              static_cast<int64_t>(start / size)));
    else
      out.tensors.emplace(e.name, copied(e, buffer));
  }
  return out;
}

}  // namespace lt::safetensors
