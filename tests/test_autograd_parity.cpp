// Derivatives of every differentiable operator against PyTorch: forward values and the
// gradients of (out * upstream).sum() on random float64 inputs. The inputs, parameters
// and torch's answers come from autograd_parity.py (see tests/CMakeLists.txt); each case
// name maps to the libtensor expression below that must compute the same thing.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <iomanip>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef LT_AUTOGRAD_PARITY_JSON
#define LT_AUTOGRAD_PARITY_JSON ""
#endif

namespace {

using json = nlohmann::json;
using lt::DType;
using lt::Scalar;
using lt::Tensor;

// JSON has no NaN or infinity: the script writes them as strings.
double decode_number(const json& v) {
  if (!v.is_string()) return v.get<double>();
  const std::string s = v.get<std::string>();
  if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "inf") return std::numeric_limits<double>::infinity();
  if (s == "-inf") return -std::numeric_limits<double>::infinity();
  throw std::runtime_error("bad number in reference JSON: " + s);
}

std::vector<double> decode_values(const json& t) {
  std::vector<double> values;
  for (const json& v : t.at("values")) values.push_back(decode_number(v));
  return values;
}

lt::Shape decode_shape(const json& list) { return lt::Shape(list.get<std::vector<int64_t>>()); }

Tensor decode_tensor(const json& t) {
  const lt::Shape shape = decode_shape(t.at("shape"));
  const std::vector<double> values = decode_values(t);
  // from_vector reads an empty shape as 1-D.
  if (shape.empty()) return lt::full({}, values.at(0), DType::Float64);
  return lt::from_vector<double>(values, shape);
}

// The reference file, read once; null when it was not generated (no torch).
const json* reference() {
  static const std::optional<json> ref = []() -> std::optional<json> {
    std::ifstream in(LT_AUTOGRAD_PARITY_JSON);
    if (!in) return std::nullopt;
    return json::parse(in);
  }();
  return ref ? &*ref : nullptr;
}

const json* find_case(const std::string& name) {
  for (const json& c : reference()->at("cases"))
    if (c.at("name") == name) return &c;
  return nullptr;
}

// One case's inputs (fresh leaves) and parameters, as the expressions read them.
class Case {
 public:
  explicit Case(const json& spec) : spec_(spec) {
    for (const auto& [name, t] : spec.at("inputs").items()) {
      Tensor x = decode_tensor(t);
      if (t.at("requires_grad").get<bool>()) x.requires_grad_();
      inputs_.emplace(name, x);
    }
  }
  const Tensor& operator[](const std::string& name) const { return inputs_.at(name); }
  const std::map<std::string, Tensor>& inputs() const { return inputs_; }

  // A Python int stays an integral Scalar, as torch received it.
  Scalar scalar(const char* key) const {
    const json& v = param(key);
    return v.is_number_integer() ? Scalar(v.get<int64_t>()) : Scalar(v.get<double>());
  }
  double number(const char* key) const { return param(key).get<double>(); }
  int64_t integer(const char* key) const { return param(key).get<int64_t>(); }
  lt::Shape dims(const char* key) const { return decode_shape(param(key)); }
  std::string text(const char* key) const { return param(key).get<std::string>(); }

 private:
  const json& param(const char* key) const { return spec_.at("params").at(key); }
  const json& spec_;
  std::map<std::string, Tensor> inputs_;
};

using Expr = std::function<Tensor(const Case&)>;

// x * 1 in torch: a non-leaf copy that in-place operators may write.
Tensor copy_of(const Tensor& x) { return x * 1; }

const std::map<std::string, Expr>& expressions() {
  static const std::map<std::string, Expr> table = [] {
    std::map<std::string, Expr> t;
#define UNARY(op) t["unary_" #op] = [](const Case& c) { return lt::op(c["x"]); };
    UNARY(neg) UNARY(abs) UNARY(sign) UNARY(exp) UNARY(exp2) UNARY(expm1) UNARY(log) UNARY(log2)
    UNARY(log10) UNARY(log1p) UNARY(sqrt) UNARY(rsqrt) UNARY(reciprocal) UNARY(sin) UNARY(cos)
    UNARY(tan) UNARY(asin) UNARY(acos) UNARY(atan) UNARY(sinh) UNARY(cosh) UNARY(tanh) UNARY(asinh)
    UNARY(acosh) UNARY(atanh)
    UNARY(erf) UNARY(erfc) UNARY(sigmoid) UNARY(relu) UNARY(floor) UNARY(ceil) UNARY(round)
    UNARY(trunc) UNARY(frac) UNARY(square)
#undef UNARY
    t["unary_nan_to_num"] = [](const Case& c) { return lt::nan_to_num(c["x"]); };
    for (const char* op : {"sqrt", "rsqrt", "log", "reciprocal"})
      t[std::string("unary_") + op + "_at_zero"] = t[std::string("unary_") + op];

    // --- binary ---
    t["add_alpha"] = [](const Case& c) { return lt::add(c["a"], c["b"], c.scalar("alpha")); };
    t["add_bcast3"] = [](const Case& c) { return lt::add(c["a"], c["b"]); };
    t["sub_alpha"] = [](const Case& c) { return lt::sub(c["a"], c["b"], c.scalar("alpha")); };
    t["sub_bcast3_alpha"] = t["sub_alpha"];
    t["mul"] = [](const Case& c) { return c["a"] * c["b"]; };
    t["mul_bcast3"] = t["mul"];
    t["mul_same_input"] = [](const Case& c) { return c["a"] * c["a"]; };
    t["div"] = [](const Case& c) { return lt::div(c["a"], c["b"], c.text("rounding_mode")); };
    t["div_floor"] = t["div"];
    t["div_trunc"] = t["div"];
    t["div_bcast3"] = [](const Case& c) { return c["a"] / c["b"]; };
    t["remainder"] = [](const Case& c) { return lt::remainder(c["a"], c["b"]); };
    t["fmod"] = [](const Case& c) { return lt::fmod(c["a"], c["b"]); };
    t["atan2"] = [](const Case& c) { return lt::atan2(c["a"], c["b"]); };
    t["maximum_ties"] = [](const Case& c) { return lt::maximum(c["a"], c["b"]); };
    t["maximum_bcast3"] = t["maximum_ties"];
    t["minimum_ties"] = [](const Case& c) { return lt::minimum(c["a"], c["b"]); };
    t["pow_tensor"] = [](const Case& c) { return lt::pow(c["a"], c["b"]); };
    t["pow_zero_base"] = t["pow_tensor"];
    t["pow_negative_base"] = t["pow_tensor"];
    for (const char* e : {"2", "half", "0", "neg1_5", "3"})
      t[std::string("pow_scalar_") + e] = [](const Case& c) { return lt::pow(c["x"], c.scalar("exponent")); };
    t["pow_scalar_base"] = [](const Case& c) { return lt::pow(c.scalar("base"), c["x"]); };
    t["add_scalar"] = [](const Case& c) { return lt::add(c["x"], c.scalar("other"), c.scalar("alpha")); };
    t["sub_scalar"] = [](const Case& c) { return c["x"] - c.scalar("other"); };
    t["mul_scalar"] = [](const Case& c) { return c["x"] * c.scalar("other"); };
    t["div_scalar"] = [](const Case& c) { return c["x"] / c.scalar("other"); };
    t["div_scalar_floor"] = [](const Case& c) { return lt::div(c["x"], c.scalar("other"), "floor"); };
    t["remainder_scalar"] = [](const Case& c) { return c["x"] % c.scalar("other"); };
    t["fmod_scalar"] = [](const Case& c) { return lt::fmod(c["x"], c.scalar("other")); };
    t["maximum_scalar_ties"] = [](const Case& c) { return lt::maximum(c["x"], c.scalar("other")); };
    t["rsub_scalar"] = [](const Case& c) { return c.scalar("other") - c["x"]; };
    t["rdiv_scalar"] = [](const Case& c) { return c.scalar("other") / c["x"]; };
    t["rremainder_scalar"] = [](const Case& c) { return c.scalar("other") % c["x"]; };
    t["pow_scalar_neg2"] = t["pow_scalar_2"];
    t["pow_zero_scalar_base"] = t["pow_scalar_base"];
    t["mul_one_requires_grad"] = t["mul"];
    t["div_only_divisor_grad"] = t["div_bcast3"];
    t["mul_self_transposed"] = [](const Case& c) { return c["x"] * c["x"].t(); };
    t["mul_0d_tensor"] = [](const Case& c) { return c["a"] * c["s"]; };
    t["mul_mixed_dtype"] = [](const Case& c) { return c["a"].to(DType::Float32) * c["b"]; };

    // --- ternary ---
    t["where_bcast"] = [](const Case& c) { return lt::where(lt::gt(c["c"], 0.0), c["a"], c["b"]); };
    t["where_mixed_cond"] = t["where_bcast"];
    t["where_scalar_other"] = [](const Case& c) { return lt::where(lt::gt(c["c"], 0.0), c["a"], c.scalar("other")); };
    t["clamp"] = [](const Case& c) { return lt::clamp(c["x"], c.scalar("min"), c.scalar("max")); };
    t["clamp_min"] = [](const Case& c) { return lt::clamp(c["x"], c.scalar("min"), std::nullopt); };
    t["clamp_max"] = [](const Case& c) { return lt::clamp(c["x"], std::nullopt, c.scalar("max")); };
    t["where_scalar_self"] = [](const Case& c) { return lt::where(lt::gt(c["c"], 0.0), c.scalar("other"), c["b"]); };
    t["nan_to_num_args"] = [](const Case& c) {
      return lt::nan_to_num(c["x"], c.number("nan"), c.number("posinf"), c.number("neginf"));
    };
    t["lerp_tensor"] = [](const Case& c) { return lt::lerp(c["start"], c["end"], c["weight"]); };
    t["lerp_scalar"] = [](const Case& c) { return lt::lerp(c["start"], c["end"], c.scalar("weight")); };

    // --- reductions ---
    t["sum_all"] = [](const Case& c) { return lt::sum(c["x"]); };
    t["sum_dims"] = [](const Case& c) { return lt::sum(c["x"], c.dims("dims")); };
    t["sum_keepdim"] = [](const Case& c) { return lt::sum(c["x"], c.dims("dims"), true); };
    t["mean_all"] = [](const Case& c) { return lt::mean(c["x"]); };
    t["mean_dims"] = [](const Case& c) { return lt::mean(c["x"], c.dims("dims")); };
    t["mean_keepdim"] = [](const Case& c) { return lt::mean(c["x"], c.dims("dims"), true); };
    t["prod_all"] = [](const Case& c) { return lt::prod(c["x"]); };
    t["prod_all_one_zero"] = t["prod_all"];
    t["prod_all_two_zeros"] = t["prod_all"];
    t["prod_dim_zeros"] = [](const Case& c) { return lt::prod(c["x"], {c.integer("dim")}); };
    t["prod_dim_keepdim"] = [](const Case& c) { return lt::prod(c["x"], {c.integer("dim")}, true); };
    t["amax_dim_ties"] = [](const Case& c) { return lt::amax(c["x"], c.dims("dims")); };
    t["amax_all_ties"] = t["amax_dim_ties"];
    t["amax_keepdim_ties"] = [](const Case& c) { return lt::amax(c["x"], c.dims("dims"), true); };
    t["amin_dim_ties"] = [](const Case& c) { return lt::amin(c["x"], c.dims("dims")); };
    t["amin_all_ties"] = t["amin_dim_ties"];
    t["amin_keepdim_ties"] = [](const Case& c) { return lt::amin(c["x"], c.dims("dims"), true); };
    t["max_all"] = [](const Case& c) { return lt::max(c["x"]); };
    t["max_all_ties"] = t["max_all"];
    t["min_all"] = [](const Case& c) { return lt::min(c["x"]); };
    t["min_all_ties"] = t["min_all"];
    t["max_dim"] = [](const Case& c) { return std::get<0>(lt::max(c["x"], c.integer("dim"))); };
    t["max_dim_keepdim"] = [](const Case& c) { return std::get<0>(lt::max(c["x"], c.integer("dim"), true)); };
    t["min_dim"] = [](const Case& c) { return std::get<0>(lt::min(c["x"], c.integer("dim"))); };
    t["min_dim_keepdim"] = [](const Case& c) { return std::get<0>(lt::min(c["x"], c.integer("dim"), true)); };
    for (const char* c0 : {"c0", "c1"}) {
      t[std::string("var_dims_") + c0] = [](const Case& c) { return lt::var(c["x"], c.dims("dims"), c.number("correction")); };
      t[std::string("std_dims_") + c0] = [](const Case& c) { return lt::std(c["x"], c.dims("dims"), c.number("correction")); };
      t[std::string("var_keepdim_") + c0] = [](const Case& c) {
        return lt::var(c["x"], c.dims("dims"), c.number("correction"), true);
      };
      t[std::string("std_keepdim_") + c0] = [](const Case& c) {
        return lt::std(c["x"], c.dims("dims"), c.number("correction"), true);
      };
    }
    t["var_all"] = [](const Case& c) { return lt::var(c["x"]); };
    t["std_all"] = [](const Case& c) { return lt::std(c["x"]); };
    t["std_constant_row"] = [](const Case& c) { return lt::std(c["x"], c.dims("dims")); };
    t["prod_two_dims"] = [](const Case& c) { return lt::prod(c["x"], c.dims("dims")); };
    t["sum_dtype_from_float32"] = [](const Case& c) {
      return lt::sum(c["x"].to(DType::Float32), c.dims("dims"), false, DType::Float64);
    };
    t["mean_dtype_from_float32"] = [](const Case& c) {
      return lt::mean(c["x"].to(DType::Float32), c.dims("dims"), false, DType::Float64);
    };
    t["amax_noncontiguous_ties"] = [](const Case& c) { return lt::amax(c["x"].t(), c.dims("dims")); };
    t["var_noncontiguous"] = [](const Case& c) { return lt::var(c["x"].t(), c.dims("dims")); };
    t["unary_exp_0d"] = t["unary_exp"];
    t["unary_exp_empty"] = t["unary_exp"];
    t["sum_0d"] = t["sum_all"];
    t["max_dim_0d"] = t["max_dim"];
    t["sum_empty_dim"] = t["sum_dims"];
    t["prod_empty_dim"] = t["prod_dim_zeros"];
    t["mean_empty_dim"] = t["mean_dims"];

    // --- views ---
    t["view"] = [](const Case& c) { return c["x"].view({2, 6}); };
    t["reshape"] = [](const Case& c) { return c["x"].reshape({2, 3, 2}); };
    t["reshape_noncontiguous"] = [](const Case& c) { return c["x"].t().reshape({-1}); };
    t["permute"] = [](const Case& c) { return c["x"].permute({2, 0, 1}); };
    t["transpose"] = [](const Case& c) { return c["x"].transpose(0, 2); };
    t["t"] = [](const Case& c) { return c["x"].t(); };
    t["expand"] = [](const Case& c) { return c["x"].expand({2, 3, 4}); };
    t["slice_step2"] = [](const Case& c) { return c["x"].slice(0, 1, 5, 2); };
    t["slice_step3_dim1"] = [](const Case& c) { return c["x"].slice(1, 0, 7, 3); };
    t["slice_negative_step"] = [](const Case& c) { return c["x"].slice(1, 3, 0, -1); };
    t["slice_negative_step2"] = [](const Case& c) { return c["x"].slice(0, 4, -10, -2); };
    t["narrow"] = [](const Case& c) { return c["x"].narrow(1, 1, 2); };
    t["select"] = [](const Case& c) { return c["x"].select(0, 1); };
    t["select_last"] = [](const Case& c) { return c["x"].select(-1, 2); };
    t["squeeze"] = [](const Case& c) { return c["x"].squeeze(); };
    t["squeeze_dim"] = [](const Case& c) { return c["x"].squeeze(1); };
    t["unsqueeze"] = [](const Case& c) { return c["x"].unsqueeze(1); };
    t["diagonal_plus1"] = [](const Case& c) { return c["x"].diagonal(1); };
    t["diagonal_minus1"] = [](const Case& c) { return c["x"].diagonal(-1); };
    t["diagonal_dims12"] = [](const Case& c) { return c["x"].diagonal(0, 1, 2); };
    t["as_strided"] = [](const Case& c) { return c["x"].as_strided({3, 2}, {3, 2}, 1); };
    t["as_strided_overlap"] = [](const Case& c) { return c["x"].as_strided({3, 3}, {2, 1}, 0); };
    t["unfold_overlap"] = [](const Case& c) { return c["x"].unfold(1, 3, 1); };
    t["unfold_step2"] = [](const Case& c) { return c["x"].unfold(0, 2, 2); };
    t["flatten"] = [](const Case& c) { return c["x"].flatten(); };
    t["flip"] = [](const Case& c) { return lt::flip(c["x"], {0, 2}); };
    t["clone"] = [](const Case& c) { return c["x"].clone(); };
    t["to_float32_and_back"] = [](const Case& c) { return c["x"].to(DType::Float32).to(DType::Float64); };
    t["view_minus1"] = [](const Case& c) { return c["x"].view({-1, 3}); };
    t["expand_minus1"] = [](const Case& c) { return c["x"].expand({-1, 4}); };
    t["permute_negative"] = [](const Case& c) { return c["x"].permute({-1, 0, -2}); };
    t["transpose_negative"] = [](const Case& c) { return c["x"].transpose(-1, 0); };
    t["unsqueeze_negative"] = [](const Case& c) { return c["x"].unsqueeze(-1); };
    t["squeeze_dim_not_one"] = [](const Case& c) { return c["x"].squeeze(0); };
    t["select_negative_index"] = [](const Case& c) { return c["x"].select(0, -1); };
    t["flip_negative_dim"] = [](const Case& c) { return lt::flip(c["x"], {-1}); };
    t["slice_of_transposed"] = [](const Case& c) { return c["x"].t().slice(1, 0, 3, 2); };
    t["diagonal_of_transposed"] = [](const Case& c) { return c["x"].t().diagonal(1); };
    t["as_strided_of_transpose"] = [](const Case& c) { return c["x"].t().as_strided({2, 2}, {1, 4}, 1); };
    t["as_strided_of_slice"] = [](const Case& c) { return c["x"].slice(0, 1, 3).as_strided({2, 2}, {4, 1}); };
    t["unfold_whole"] = [](const Case& c) { return c["x"].unfold(1, 6, 1); };
    t["view_chain"] = [](const Case& c) { return c["x"].t().slice(0, 1, 3).unsqueeze(0).expand({2, 2, 3}) * 2; };

    // --- in place under autograd ---
    t["inplace_add_"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.add_(c["w"], 2.5); return y; };
    t["inplace_add_scalar_"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.add_(1.5); return y; };
    t["inplace_sub_"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.sub_(c["w"], 0.5); return y; };
    t["inplace_mul_"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.mul_(c["w"]); return y; };
    t["inplace_mul_scalar_"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.mul_(-2.0); return y; };
    t["inplace_div_"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.div_(c["w"]); return y; };
    t["inplace_clamp_"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.clamp_(-0.5, 0.5); return y; };
    t["inplace_twice"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.mul_(c["w"]).add_(c["w"]); return y; };
    t["inplace_copy_into_slice"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      big.slice(0, 1, 3).copy_(c["w"]);
      return big;
    };
    t["inplace_fill_slice"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      big.slice(1, 1, 3).fill_(2.0);
      return big;
    };
    t["inplace_mul_on_slice"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      big.slice(1, 1, 3).mul_(c["w"]);
      return big;
    };
    t["inplace_mul_on_select_view"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      Tensor v = big.select(0, 1);
      v.mul_(c["w"]);
      return v * 2;
    };
    t["inplace_mul_on_slice_use_both"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      Tensor v = big.slice(1, 0, 2);
      v.mul_(c["w"]);
      return big * 3 + lt::sum(v, {1}, true);
    };
    t["inplace_into_constant"] = [](const Case& c) { Tensor y = c["c"].clone(); y.add_(c["w"]); return y; };
    t["inplace_copy_whole"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.copy_(c["w"]); return y; };
    t["inplace_fill_whole"] = [](const Case& c) { Tensor y = copy_of(c["x"]); y.fill_(3.0); return y; };
    t["inplace_copy_from_float32"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      big.slice(0, 1, 3).copy_(c["w"].to(DType::Float32));
      return big;
    };
    t["inplace_mul_mixed_dtype"] = [](const Case& c) {
      Tensor y = c["x"].to(DType::Float32);
      y.mul_(c["w"]);
      return y.to(DType::Float64);
    };
    t["inplace_mul_on_view_of_view"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      big.slice(0, 1, 3).select(1, 0).mul_(c["w"]);
      return big;
    };
    t["inplace_other_view_after_write"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      Tensor row = big.select(0, 0);
      big.select(1, 1).mul_(c["w"]);  // overlaps row at [0, 1]
      return row;
    };
    t["inplace_clamp_on_slice"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      big.slice(1, 1, 3).clamp_(-0.5, 0.5);
      return big;
    };
    t["inplace_add_on_diagonal"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      big.diagonal().add_(c["w"]);
      return big;
    };
    t["inplace_copy_into_column"] = [](const Case& c) {
      Tensor big = copy_of(c["x"]);
      big.t().select(0, 1).copy_(c["w"]);
      return big;
    };
    return t;
  }();
  return table;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& [name, expr] : expressions()) names.push_back(name);
  return names;
}

// |got - want| <= atol + rtol * |want| elementwise; NaN matches NaN and an infinity
// matches the same infinity.
::testing::AssertionResult close(const std::string& what, const Tensor& got, const json& want, double rtol,
                                 double atol) {
  if (!got.defined()) return ::testing::AssertionFailure() << what << ": undefined tensor, torch has one";
  if (got.dtype() != DType::Float64) return ::testing::AssertionFailure() << what << ": dtype is not float64";
  const lt::Shape shape = decode_shape(want.at("shape"));
  if (got.sizes() != shape)
    return ::testing::AssertionFailure() << what << ": shape " << lt::str(got.sizes()) << ", torch " << lt::str(shape);
  const std::vector<double> expected = decode_values(want);
  Tensor g = got.contiguous();
  const double* v = g.data_ptr<double>();
  std::ostringstream bad;
  bad << std::setprecision(17);
  int mismatches = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    const double e = expected[i], a = v[i];
    const bool ok = std::isnan(e) ? std::isnan(a)
                    : std::isinf(e) ? a == e
                                    : std::abs(a - e) <= atol + rtol * std::abs(e);
    if (!ok && mismatches++ < 6) bad << "\n  [" << i << "] torch " << e << ", libtensor " << a;
  }
  if (mismatches == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": " << mismatches << " of " << expected.size()
                                       << " elements differ (flat row-major index):"
                                       << bad.str() << "\n  libtensor " << got.str();
}

class Parity : public ::testing::TestWithParam<std::string> {};

TEST_P(Parity, ForwardAndGradients) {
  if (!reference()) GTEST_SKIP() << "no reference file " << LT_AUTOGRAD_PARITY_JSON << " (needs /usr/bin/python3 with torch)";
  const json* spec = find_case(GetParam());
  ASSERT_NE(spec, nullptr) << "case missing from the reference file; regenerate it from autograd_parity.py";
  const double rtol = spec->at("rtol"), atol = spec->at("atol");
  Case c(*spec);

  Tensor out = expressions().at(GetParam())(c);
  EXPECT_TRUE(close("forward", out, spec->at("output"), rtol, atol));
  lt::autograd::backward({out}, {decode_tensor(spec->at("upstream"))});

  for (const auto& [name, x] : c.inputs()) {
    if (!spec->at("inputs").at(name).at("requires_grad").get<bool>()) {
      EXPECT_FALSE(x.grad().defined()) << "grad of " << name << ", which does not require grad";
      continue;
    }
    const json& want = spec->at("grads").at(name);
    if (want.is_null()) {  // torch found no path to this input
      EXPECT_FALSE(x.grad().defined()) << "grad of " << name << ": torch has none";
      continue;
    }
    EXPECT_TRUE(close("grad of " + name, x.grad(), want, rtol, atol));
  }
}

INSTANTIATE_TEST_SUITE_P(Torch, Parity, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// A case the script generates but nothing here runs would silently go untested.
TEST(ParityReference, EveryReferenceCaseIsRun) {
  if (!reference()) GTEST_SKIP() << "no reference file " << LT_AUTOGRAD_PARITY_JSON;
  for (const json& c : reference()->at("cases"))
    EXPECT_TRUE(expressions().count(c.at("name").get<std::string>())) << "no expression for " << c.at("name");
}

}  // namespace
