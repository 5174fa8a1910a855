// safetensors: round trips of every dtype and layout, the written layout, provenance,
// SHA-256 against FIPS vectors, each validation rule's error, and the fuzz corpus with
// deterministic mutations (under ASan/UBSan in CI: any input must load or fail cleanly).
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using lt::DType;
using lt::Tensor;
namespace st = lt::safetensors;

std::string le64(uint64_t n) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(n >> (8 * i));
  return s;
}
std::string file_of(const std::string& header, const std::string& data = "") {
  return le64(header.size()) + header + data;
}
std::string bytes_of(const Tensor& t) {
  Tensor c = t.contiguous();
  return std::string(static_cast<const char*>(c.data()), c.nbytes());
}
bool same(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.sizes() == b.sizes() && bytes_of(a) == bytes_of(b);
}
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("lt_test_serialization_" + name)).string();
}
// The message of the FormatError that loading `bytes` raises ("" when it loads).
std::string error_of(const std::string& bytes, bool verify = false) {
  try {
    st::load(bytes, verify);
  } catch (const lt::FormatError& e) {
    return e.what();
  }
  return "";
}
#define EXPECT_REFUSED(bytes, fragment)                                     \
  do {                                                                      \
    std::string message = error_of(bytes);                                  \
    EXPECT_NE(message.find(fragment), std::string::npos) << message;        \
    EXPECT_EQ(message.rfind("[safetensors] ", 0), 0u) << message;           \
  } while (0)

std::vector<Tensor> one_of_each_dtype() {
  std::vector<Tensor> out;
  for (int i = 0; i < lt::kNumDTypes; ++i) {
    DType t = static_cast<DType>(i);
    out.push_back(t == DType::Bool ? lt::from_vector<bool>({true, false, false, true, true, false}, {2, 3})
                                   : lt::arange(is_signed(t) ? -3 : 0, is_signed(t) ? 3 : 6, 1, t).reshape({2, 3}));
  }
  return out;
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(lt::sha256_hex("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(lt::sha256_hex("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";  // 448 bits: two padding blocks
  EXPECT_EQ(lt::sha256_hex(two.data(), two.size()),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string million(1000000, 'a');
  EXPECT_EQ(lt::sha256_hex(million.data(), million.size()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  std::string block(64, 'x');  // exactly one block: the padding needs a block of its own
  EXPECT_EQ(lt::sha256_hex(block.data(), 55).size(), 64u);
  EXPECT_NE(lt::sha256_hex(block.data(), 55), lt::sha256_hex(block.data(), 56));
}

TEST(Safetensors, RoundTripsEveryDTypeFromBytesAndFile) {
  st::TensorMap tensors;
  auto all = one_of_each_dtype();
  for (size_t i = 0; i < all.size(); ++i) tensors["t" + std::to_string(i)] = all[i];
  std::string bytes = st::save(tensors, {{"format", "pt"}});
  st::File back = st::load(bytes);
  ASSERT_EQ(back.tensors.size(), tensors.size());
  for (const auto& [name, t] : tensors) EXPECT_TRUE(same(back.tensors.at(name), t)) << name;
  EXPECT_EQ(back.metadata, (st::Metadata{{"format", "pt"}}));

  std::string path = temp_path("every_dtype.safetensors");
  st::save_file(tensors, path);
  st::File mapped = st::load_file(path);
  for (const auto& [name, t] : tensors) EXPECT_TRUE(same(mapped.tensors.at(name), t)) << name;
  EXPECT_TRUE(mapped.metadata.empty());
  std::remove(path.c_str());  // the mapping outlives the file's name
  for (const auto& [name, t] : tensors) EXPECT_TRUE(same(mapped.tensors.at(name), t)) << name;
}

TEST(Safetensors, MappedTensorsShareTheMappingAndWritesStayPrivate) {
  std::string path = temp_path("mapped.safetensors");
  st::save_file({{"a", lt::ones({4}, DType::Int8)}, {"b", lt::ones({3}, DType::Float64)},
                 {"c", lt::ones({2}, DType::Float32)}},
                path);
  st::File f = st::load_file(path);
  EXPECT_EQ(f.tensors.at("a").storage(), f.tensors.at("b").storage());  // aligned: no copies
  EXPECT_EQ(f.tensors.at("b").storage(), f.tensors.at("c").storage());
  f.tensors.at("b").fill_(5);
  EXPECT_DOUBLE_EQ(f.tensors.at("b").select(0, 2).item<double>(), 5.0);
  EXPECT_DOUBLE_EQ(st::load_file(path).tensors.at("b").select(0, 2).item<double>(), 1.0);
  std::remove(path.c_str());
}

TEST(Safetensors, UnalignedTensorsOfOtherWritersAreCopied) {
  // A U8 tensor of 3 bytes before an F32: the F32 starts off its alignment.
  std::string header = R"({"a":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},)"
                       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[3,7]}})";
  float one = 1.0f;
  std::string data = std::string("\1\2\3") + std::string(reinterpret_cast<char*>(&one), 4);
  std::string path = temp_path("unaligned.safetensors");
  std::ofstream(path, std::ios::binary) << file_of(header, data);
  st::File f = st::load_file(path);
  EXPECT_FLOAT_EQ(f.tensors.at("b").item<float>(), 1.0f);
  EXPECT_EQ(lt::sum(f.tensors.at("a")).item<int64_t>(), 6);
  std::remove(path.c_str());
}

TEST(Safetensors, EmptyZeroDimAndNonContiguous) {
  Tensor m = lt::arange(12, DType::Float32).reshape({3, 4});
  st::TensorMap tensors{{"empty", lt::zeros({0, 3}, DType::Int64)},
                        {"scalar", lt::full({}, 2.5, DType::Float64)},
                        {"transposed", m.t()},
                        {"sliced", m.slice(1, 0, 4, 2)},
                        {"expanded", lt::ones({1, 3}).expand({2, 3})}};
  st::File back = st::load(st::save(tensors));
  for (const auto& [name, t] : tensors) EXPECT_TRUE(same(back.tensors.at(name), t)) << name;
  EXPECT_EQ(back.tensors.at("scalar").dim(), 0);
  EXPECT_TRUE(back.tensors.at("transposed").is_contiguous());
  EXPECT_TRUE(st::load(st::save({})).tensors.empty());
}

TEST(Safetensors, SixtyFourDimensions) {
  std::vector<int64_t> shape(64, 1);
  shape[3] = 2;
  Tensor t = lt::arange(2, DType::Int16).reshape(shape);
  st::File back = st::load(st::save({{"t", t}}));
  EXPECT_TRUE(same(back.tensors.at("t"), t));
}

TEST(Safetensors, WrittenLayout) {
  std::string bytes = st::save({{"z", lt::ones({1}, DType::Float64)}, {"b", lt::ones({1}, DType::Int8)},
                                {"a", lt::ones({1}, DType::Int8)}},
                               {{"k", "v"}});
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n << 8 | static_cast<uint8_t>(bytes[i]);
  EXPECT_EQ(n % 8, 0u);
  std::string header = bytes.substr(8, n);
  EXPECT_EQ(header.find_last_not_of(' ') + 1, header.rfind('}') + 1);  // padded with spaces
  // __metadata__ first; larger elements first, then names: z (F64), a, b (I8).
  EXPECT_EQ(header.rfind(R"({"__metadata__":{"k":"v"},"z":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},)"
                         R"("a":{"dtype":"I8","shape":[1],"data_offsets":[8,9]},)",
                         0),
            0u)
      << header;
  EXPECT_EQ(bytes.size(), 8 + n + 10);
}

TEST(Safetensors, SaveRefusals) {
  EXPECT_THROW(st::save({{"__metadata__", lt::ones({1})}}), lt::ValueError);
  EXPECT_THROW(st::save({{"x", Tensor()}}), lt::ValueError);
  EXPECT_THROW(st::save({{"bad\xff", lt::ones({1})}}), lt::ValueError);
  EXPECT_THROW(st::save({}, {{"k", "\xc3"}}), lt::ValueError);
  EXPECT_THROW(st::save_file({{"x", lt::ones({1})}}, "/nonexistent-dir/x.safetensors"), lt::FileError);
  try {
    st::load_file("/nonexistent-dir/x.safetensors");
    FAIL();
  } catch (const lt::FileError& e) {
    EXPECT_EQ(e.code(), ENOENT);
    EXPECT_EQ(e.path(), "/nonexistent-dir/x.safetensors");
  }
  std::string empty = temp_path("empty");
  std::ofstream(empty).close();
  EXPECT_THROW(st::load_file(empty), lt::FormatError);
  std::remove(empty.c_str());
  EXPECT_THROW(st::load_file(std::filesystem::temp_directory_path().string()), lt::FormatError);
}

TEST(Safetensors, ProvenanceAndVerify) {
  st::TensorMap tensors{{"w", lt::arange(10, DType::Float32)}, {"b", lt::ones({2}, DType::Int64)}};
  std::string bytes = st::save(tensors, {{"user", "kept"}}, /*provenance=*/true);
  st::File f = st::load(bytes, /*verify=*/true);
  EXPECT_EQ(f.metadata.at("user"), "kept");
  EXPECT_EQ(f.metadata.at("libtensor.version"), lt::kVersion);
  Tensor w = tensors.at("w");
  EXPECT_EQ(f.metadata.at("libtensor.sha256.w"), lt::sha256_hex(w.data(), w.nbytes()));

  std::string flipped = bytes;
  flipped[flipped.size() - 1] ^= 0x01;  // the last byte of w's data
  EXPECT_EQ(error_of(flipped), "");     // still a well-formed file
  std::string message = error_of(flipped, true);
  EXPECT_NE(message.find("tensor 'w' fails verification"), std::string::npos) << message;

  std::string plain = st::save(tensors);
  EXPECT_NE(error_of(plain, true).find("has no libtensor provenance"), std::string::npos);
  std::string path = temp_path("provenance.safetensors");
  std::ofstream(path, std::ios::binary) << flipped;
  EXPECT_THROW(st::load_file(path, true), lt::FormatError);
  EXPECT_NO_THROW(st::load_file(path, false));
  std::remove(path.c_str());
}

// --- each validation rule ------------------------------------------------------------

std::string one(const std::string& entry, const std::string& data = "") {
  return file_of(R"({"t":)" + entry + "}", data);
}

TEST(SafetensorsValidation, HeaderLength) {
  EXPECT_REFUSED(std::string("\1\0\0", 3), "too short for the 8-byte header length");
  EXPECT_REFUSED(le64(1) + "{", "header length 1 is too small");
  EXPECT_REFUSED(le64(100) + "{}", "exceeds the 2 bytes that follow it");
  EXPECT_REFUSED(le64(~0ull) + "{}", "exceeds the limit of 100000000 bytes");
  EXPECT_REFUSED(le64(200'000'000) + "{}", "exceeds the limit");
  EXPECT_EQ(error_of(file_of("{}")), "");
  EXPECT_EQ(error_of(file_of("{}      ")), "");
}

TEST(SafetensorsValidation, Json) {
  EXPECT_REFUSED(file_of("[1, 2]"), "must start with '{'");
  EXPECT_REFUSED(file_of("{\"a\":"), "not valid UTF-8 JSON");
  EXPECT_REFUSED(file_of("{} {}"), "not valid UTF-8 JSON");
  EXPECT_REFUSED(file_of("{\"\xff\":1}"), "not valid UTF-8 JSON");
  EXPECT_REFUSED(file_of(R"({"__metadata__":{},"__metadata__":{}})"), "key '__metadata__' twice");
  EXPECT_REFUSED(file_of(R"({"t":{"dtype":"U8","dtype":"U8","shape":[],"data_offsets":[0,1]}})", "\1"),
                 "key 'dtype' twice");
  EXPECT_REFUSED(file_of("{\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}"), "nests deeper");
  std::string zeros = "0";
  for (int i = 1; i < 1024; ++i) zeros += ",0";
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[)" + zeros + R"(],"data_offsets":[0,0]})"),
                 "tensor 't': shape has 1024 dimensions; libtensor's tensors have at most 64");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[)" + zeros + R"(,0],"data_offsets":[0,0]})"),
                 "a list of more than 1024 elements");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[)" + zeros + R"(,[]],"data_offsets":[0,0]})"),
                 "a list of more than 1024 elements");
}

TEST(SafetensorsValidation, Entries) {
  EXPECT_REFUSED(one("3"), "tensor 't': entry must be an object");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[]})"), "tensor 't': entry must have dtype, shape and data_offsets");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[],"data_offsets":[0,1],"x":1})", "\1"), "unknown field 'x'");
  EXPECT_REFUSED(one(R"({"dtype":"U16","shape":[],"data_offsets":[0,2]})", "ab"), "unsupported dtype 'U16'");
  EXPECT_REFUSED(one(R"({"dtype":7,"shape":[],"data_offsets":[0,2]})", "ab"), "dtype must be a string");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":2,"data_offsets":[0,2]})", "ab"), "shape must be a list");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[-2],"data_offsets":[0,2]})", "ab"), "must hold non-negative integers");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[2.0],"data_offsets":[0,2]})", "ab"), "must hold non-negative integers");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[true],"data_offsets":[0,1]})", "a"), "must hold non-negative");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[18446744073709551615],"data_offsets":[0,1]})", "a"),
                 "must hold non-negative");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]})"),
                 "more elements than int64 can count");
  EXPECT_REFUSED(one(R"({"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,0]})"),
                 "more bytes than int64 can count");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[2],"data_offsets":[0]})", "ab"), "must be a list [begin, end]");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[2],"data_offsets":[-1,1]})", "ab"), "must be non-negative integers");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[0],"data_offsets":[2,1]})", "ab"), "end before they begin");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[2],"data_offsets":[0,2]})", "a"), "reach past the end");
  EXPECT_REFUSED(one(R"({"dtype":"U8","shape":[2],"data_offsets":[18446744073709551614,18446744073709551616]})", "ab"),
                 "must be non-negative integers");
  EXPECT_REFUSED(one(R"({"dtype":"F32","shape":[2],"data_offsets":[0,4]})", "abcd"), "span 4 bytes, but shape [2]");
  EXPECT_REFUSED(one(R"({"dtype":"BOOL","shape":[2],"data_offsets":[0,2]})", std::string("\0\7", 2)),
                 "BOOL element 1 is byte 7");
}

TEST(SafetensorsValidation, LayoutAndMetadata) {
  auto u8 = [](int begin, int end) {
    return R"({"dtype":"U8","shape":[)" + std::to_string(end - begin) + R"(],"data_offsets":[)" +
           std::to_string(begin) + "," + std::to_string(end) + "]}";
  };
  EXPECT_REFUSED(file_of(R"({"a":)" + u8(0, 4) + R"(,"b":)" + u8(2, 6) + "}", "123456"),
                 "tensor 'b' (bytes 2..6) overlaps tensor 'a' (bytes 0..4)");
  EXPECT_REFUSED(file_of(R"({"a":)" + u8(0, 4) + R"(,"b":)" + u8(0, 4) + "}", "1234"), "overlaps");
  EXPECT_REFUSED(file_of(R"({"a":)" + u8(0, 2) + R"(,"b":)" + u8(3, 4) + "}", "1234"), "has a gap: bytes 2..3");
  EXPECT_REFUSED(file_of(R"({"a":)" + u8(0, 2) + "}", "1234"), "2 trailing bytes");
  EXPECT_EQ(error_of(file_of(R"({"a":)" + u8(0, 2) + R"(,"e":)" + u8(1, 1) + "}", "12")), "");  // empty: no bytes
  EXPECT_REFUSED(file_of(R"({"__metadata__":[]})"), "__metadata__ must be an object of strings");
  EXPECT_REFUSED(file_of(R"({"__metadata__":{"k":{"x":1}}})"), "__metadata__ value of 'k' must be a string");
  EXPECT_EQ(error_of(file_of(R"({"__metadata__":null})")), "");
  std::string weird = std::string("{\"a\\u0001") + "\":" + u8(0, 2) + "}";
  EXPECT_REFUSED(file_of(weird, "1"), "tensor 'a\\x01'");  // control bytes escaped in messages
}

// --- the fuzz corpus and deterministic mutations ---------------------------------------

std::vector<std::string> corpus() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(LT_FUZZ_CORPUS_DIR)) {
    std::ifstream f(e.path(), std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    files.push_back(s.str());
  }
  return files;
}

// Loads bytes, requiring either tensors whose bytes can be read whole or a FormatError.
void load_cleanly(const std::string& bytes) {
  try {
    st::File f = st::load(bytes);
    for (const auto& [name, t] : f.tensors) bytes_of(t);
  } catch (const lt::FormatError& e) {
    ASSERT_EQ(std::string(e.what()).rfind("[safetensors] ", 0), 0u);
  }
}

TEST(SafetensorsFuzzCorpus, EveryFileLoadsOrFailsCleanly) {
  auto files = corpus();
  ASSERT_GE(files.size(), 10u);
  int valid = 0;
  for (const auto& bytes : files) {
    load_cleanly(bytes);
    valid += error_of(bytes).empty();
  }
  EXPECT_GE(valid, 3);
  EXPECT_GE(static_cast<int>(files.size()) - valid, 5);
}

TEST(SafetensorsFuzzCorpus, DeterministicMutations) {
  auto files = corpus();
  files.push_back(st::save({{"a", lt::arange(5, DType::Float64)}, {"b", lt::ones({2, 2}, DType::Bool)}}, {}, true));
  uint64_t state = 0x9e3779b97f4a7c15ull;  // xorshift: the same mutations every run
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::vector<std::pair<std::string, std::string>> swaps = {
      {"F32", "F64"}, {"U8", "I64"}, {"BOOL", "U8"}, {"U8", "BOOL"}, {"F64", "XX"}, {"[0,", "[1,"},
      {"[2,2]", "[4611686018427387904,4]"}, {"data_offsets", "data_offset"}, {"\"shape\":[", "\"shape\":[-"},
      {"]}", ",0]}"}, {"__metadata__", "__metadata_"},
      {"\"shape\":[", "\"shape\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
                       "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"}};  // rank + 64
  int cases = 0;
  for (const auto& bytes : files) {
    for (size_t cut = 0; cut <= bytes.size(); cut += 1 + bytes.size() / 40, ++cases) load_cleanly(bytes.substr(0, cut));
    for (int i = 0; i < 200 && !bytes.empty(); ++i, ++cases) {
      std::string m = bytes;
      m[next() % m.size()] ^= static_cast<char>(1 << (next() % 8));
      load_cleanly(m);
    }
    if (bytes.size() >= 8)
      for (uint64_t n : {0ull, 1ull, 2ull, 7ull, 100'000'001ull, 1ull << 32, 1ull << 63, ~0ull}) {
        load_cleanly(le64(n) + bytes.substr(8));
        ++cases;
      }
    for (const auto& [from, to] : swaps) {
      size_t at = bytes.find(from);
      if (at == std::string::npos) continue;
      std::string m = bytes;
      m.replace(at, from.size(), to);
      load_cleanly(m);  // the header length now disagrees with the header
      if (m.size() >= 8) {
        uint64_t n = 0;
        for (int i = 7; i >= 0; --i) n = n << 8 | static_cast<uint8_t>(bytes[i]);
        if (n <= bytes.size() && n + to.size() >= from.size())  // a sane length: mend it
          load_cleanly(le64(n + to.size() - from.size()) + m.substr(8));
      }
      cases += 2;
    }
  }
  EXPECT_GT(cases, 1000);
}

}  // namespace
