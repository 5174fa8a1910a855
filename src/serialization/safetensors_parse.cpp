// The validating parser of safetensors files. Every number in a header is hostile until
// checked: offsets against the buffer, shapes against int64 overflow, the byte count
// against the shape, and the entries against each other.
#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "libtensor/error.h"
#include "safetensors_format.h"

namespace lt::safetensors::format {

namespace {

using json = nlohmann::json;

constexpr const char* kOp = "safetensors";

struct Code {
  DType dtype;
  const char* code;
};
constexpr Code kCodes[] = {{DType::Float64, "F64"}, {DType::Float32, "F32"}, {DType::Float16, "F16"},
                           {DType::BFloat16, "BF16"}, {DType::Int64, "I64"}, {DType::Int32, "I32"},
                           {DType::Int16, "I16"},   {DType::Int8, "I8"},    {DType::UInt8, "U8"},
                           {DType::Bool, "BOOL"}};

// Text from a file goes into messages shortened, with control and non-ASCII bytes
// escaped (it may not even be UTF-8, which Python's exceptions need).
std::string escaped(std::string_view name, size_t limit) {
  std::string out;
  for (size_t i = 0; i < name.size() && i < limit; ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (name.size() > limit) out += "...";
  return out;
}
std::string shown(std::string_view name) { return "'" + escaped(name, 80) + "'"; }

// Refuses duplicate keys (JSON allows them, and the last one would silently win), nesting
// deeper than the format has and lists longer than any shape, while parsing: the parser's
// memory then stays a small multiple of the (capped) header length.
class HeaderGuard {
 public:
  bool operator()(int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        count_element();
        if (depth > 2)
          fail<FormatError>(kOp, "header nests deeper than the format allows (at most an object of objects of lists)");
        frames_.push_back({event == json::parse_event_t::array_start, 0, {}});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_.pop_back();
        break;
      case json::parse_event_t::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        if (!frames_.back().keys.insert(key).second) fail<FormatError>(kOp, "header has the key ", shown(key), " twice");
        break;
      }
      case json::parse_event_t::value:
        count_element();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool array;
    size_t elements;
    std::set<std::string> keys;
  };
  void count_element() {
    if (frames_.empty() || !frames_.back().array) return;
    if (++frames_.back().elements > kMaxListLength)
      fail<FormatError>(kOp, "header has a list of more than ", kMaxListLength, " elements (no shape has that many dimensions)");
  }
  std::vector<Frame> frames_;
};

uint64_t read_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

// A non-negative JSON integer that fits int64 (floats, negatives and huge numbers are not).
std::optional<int64_t> non_negative(const json& v) {
  if (!v.is_number_unsigned()) return std::nullopt;
  uint64_t u = v.get<uint64_t>();
  if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return static_cast<int64_t>(u);
}

Entry parse_entry(const std::string& name, const json& info, uint64_t buffer_size) {
  const std::string tensor = "tensor " + shown(name);
  LT_CHECK(info.is_object(), FormatError, kOp, tensor, ": entry must be an object, not ", info.type_name());
  for (const auto& [key, value] : info.items())
    LT_CHECK(key == "dtype" || key == "shape" || key == "data_offsets", FormatError, kOp, tensor,
             ": unknown field ", shown(key), " (an entry has dtype, shape and data_offsets)");
  LT_CHECK(info.contains("dtype") && info.contains("shape") && info.contains("data_offsets"), FormatError, kOp,
           tensor, ": entry must have dtype, shape and data_offsets");

  Entry e;
  e.name = name;
  const json& dtype = info["dtype"];
  LT_CHECK(dtype.is_string(), FormatError, kOp, tensor, ": dtype must be a string, not ", dtype.type_name());
  auto parsed_dtype = dtype_from_code(dtype.get_ref<const std::string&>());
  LT_CHECK(parsed_dtype, FormatError, kOp, tensor, ": unsupported dtype ", shown(dtype.get_ref<const std::string&>()),
           " (libtensor reads F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL)");
  e.dtype = *parsed_dtype;

  const json& shape = info["shape"];
  LT_CHECK(shape.is_array(), FormatError, kOp, tensor, ": shape must be a list, not ", shape.type_name());
  LT_CHECK(shape.size() <= kMaxDims, FormatError, kOp, tensor, ": shape has ", shape.size(),
           " dimensions; libtensor's tensors have at most ", kMaxDims);
  int64_t numel = 1;
  for (const json& d : shape) {
    auto size = non_negative(d);
    LT_CHECK(size, FormatError, kOp, tensor, ": shape ", shape.dump(), " must hold non-negative integers");
    e.shape.push_back(*size);
    LT_CHECK(!__builtin_mul_overflow(numel, *size, &numel), FormatError, kOp, tensor, ": shape ", shape.dump(),
             " has more elements than int64 can count");
  }
  int64_t nbytes = 0;
  LT_CHECK(!__builtin_mul_overflow(numel, itemsize(e.dtype), &nbytes), FormatError, kOp, tensor, ": shape ",
           shape.dump(), " of ", dtype_code(e.dtype), " has more bytes than int64 can count");

  const json& offsets = info["data_offsets"];
  LT_CHECK(offsets.is_array() && offsets.size() == 2, FormatError, kOp, tensor,
           ": data_offsets must be a list [begin, end], not ", offsets.dump());
  auto begin = non_negative(offsets[0]), end = non_negative(offsets[1]);
  LT_CHECK(begin && end, FormatError, kOp, tensor, ": data_offsets ", offsets.dump(),
           " must be non-negative integers");
  LT_CHECK(*begin <= *end, FormatError, kOp, tensor, ": data_offsets ", offsets.dump(), " end before they begin");
  LT_CHECK(static_cast<uint64_t>(*end) <= buffer_size, FormatError, kOp, tensor, ": data_offsets ", offsets.dump(),
           " reach past the end of the data buffer (", buffer_size, " bytes)");
  LT_CHECK(*end - *begin == nbytes, FormatError, kOp, tensor, ": data_offsets ", offsets.dump(), " span ",
           *end - *begin, " bytes, but shape ", shape.dump(), " of ", dtype_code(e.dtype), " needs ", nbytes);
  e.begin = static_cast<uint64_t>(*begin);
  e.end = static_cast<uint64_t>(*end);
  return e;
}

// The entries must tile the buffer: no overlap (two tensors aliasing one another's bytes)
// and, as the reference implementation requires, no gap or trailing bytes.
void check_layout(const std::vector<Entry>& entries, uint64_t buffer_size) {
  std::vector<const Entry*> order;
  for (const Entry& e : entries) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t covered = 0;
  const Entry* previous = nullptr;
  for (const Entry* e : order) {
    if (e->begin == e->end) continue;  // empty tensors occupy no bytes
    LT_CHECK(e->begin >= covered, FormatError, kOp, "tensor ", shown(e->name), " (bytes ", e->begin, "..", e->end,
             ") overlaps tensor ", shown(previous->name), " (bytes ", previous->begin, "..", previous->end, ")");
    LT_CHECK(e->begin == covered, FormatError, kOp, "data buffer has a gap: bytes ", covered, "..", e->begin,
             " before tensor ", shown(e->name), " belong to no tensor");
    covered = e->end;
    previous = e;
  }
  LT_CHECK(covered == buffer_size, FormatError, kOp, "data buffer has ", buffer_size - covered,
           " trailing bytes that belong to no tensor");
}

// A bool is one byte of 0 or 1; any other byte read as a C++ bool is undefined behaviour.
void check_bools(const Entry& e, const uint8_t* buffer) {
  const uint8_t* p = buffer + e.begin;
  for (uint64_t i = 0; i < e.end - e.begin; ++i)
    LT_CHECK(p[i] <= 1, FormatError, kOp, "tensor ", shown(e.name), ": BOOL element ", i, " is byte ",
             static_cast<int>(p[i]), " (must be 0 or 1)");
}

}  // namespace

std::string_view dtype_code(DType t) {
  for (const Code& c : kCodes)
    if (c.dtype == t) return c.code;
  return "?";
}

std::optional<DType> dtype_from_code(std::string_view code) {
  for (const Code& c : kCodes)
    if (code == c.code) return c.dtype;
  return std::nullopt;
}

Parsed parse(const uint8_t* data, size_t size) {
  LT_CHECK(size >= 8, FormatError, kOp, "file of ", size, " bytes is too short for the 8-byte header length");
  uint64_t n = read_le64(data);
  LT_CHECK(n >= 2, FormatError, kOp, "header length ", n, " is too small for a JSON object");
  LT_CHECK(n <= kMaxHeaderBytes, FormatError, kOp, "header length ", n, " exceeds the limit of ", kMaxHeaderBytes,
           " bytes");
  LT_CHECK(n <= size - 8, FormatError, kOp, "header length ", n, " exceeds the ", size - 8,
           " bytes that follow it (truncated file?)");
  const char* text = reinterpret_cast<const char*>(data + 8);
  LT_CHECK(n > 0 && text[0] == '{', FormatError, kOp, "header must start with '{' (a JSON object)");

  json header;
  try {
    header = json::parse(text, text + n, HeaderGuard());
  } catch (const json::exception& e) {
    fail<FormatError>(kOp, "header is not valid UTF-8 JSON: ", escaped(e.what(), 400));
  }
  LT_CHECK(header.is_object(), FormatError, kOp, "header must be a JSON object, not ", header.type_name());

  Parsed out;
  out.data_start = 8 + n;
  uint64_t buffer_size = size - out.data_start;
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__") {
      if (info.is_null()) continue;
      LT_CHECK(info.is_object(), FormatError, kOp, "__metadata__ must be an object of strings, not ", info.type_name());
      for (const auto& [key, value] : info.items()) {
        LT_CHECK(value.is_string(), FormatError, kOp, "__metadata__ value of ", shown(key), " must be a string, not ",
                 value.type_name());
        out.metadata.emplace(key, value.get<std::string>());
      }
      continue;
    }
    out.entries.push_back(parse_entry(name, info, buffer_size));
  }
  check_layout(out.entries, buffer_size);
  for (const Entry& e : out.entries)
    if (e.dtype == DType::Bool) check_bools(e, data + out.data_start);
  return out;
}

}  // namespace lt::safetensors::format
