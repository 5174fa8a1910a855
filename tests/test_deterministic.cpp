// Deterministic mode's switch, its alert for operators without a deterministic path, and
// the warning handler that warn_only uses.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <string>
#include <vector>

namespace {

struct Mode {
  explicit Mode(bool warn_only) { lt::use_deterministic_algorithms(true, warn_only); }
  ~Mode() { lt::use_deterministic_algorithms(false); }
};

const lt::Device kGpu{lt::DeviceType::CUDA, 0};

TEST(Deterministic, AlertsOnlyInTheMode) {
  EXPECT_NO_THROW(lt::alert_not_deterministic("scatter_reduce", kGpu));
  Mode mode(false);
  try {
    lt::alert_not_deterministic("scatter_reduce", kGpu);
    FAIL() << "no error in deterministic mode";
  } catch (const lt::Error& e) {
    EXPECT_NE(std::string(e.what()).find("[scatter_reduce] has no deterministic implementation on cuda:0"),
              std::string::npos)
        << e.what();
  }
}

TEST(Deterministic, WarnOnlyWarnsThroughTheHandler) {
  std::vector<std::string> seen;
  lt::set_warning_handler([&](const std::string& m) { seen.push_back(m); });
  {
    Mode mode(true);
    EXPECT_TRUE(lt::is_deterministic_algorithms_warn_only_enabled());
    EXPECT_NO_THROW(lt::alert_not_deterministic("bincount", kGpu));
  }
  lt::set_warning_handler(nullptr);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].find("[bincount]"), std::string::npos);
  EXPECT_FALSE(lt::are_deterministic_algorithms_enabled());
}

TEST(Deterministic, AccumulationGivesTheSameSumsInTheMode) {
  const lt::Tensor x = lt::zeros({6, 2});
  const lt::Tensor index = lt::from_vector<int64_t>({5, 0, 5, 5, 1, 0, 5});
  const lt::Tensor values = lt::randn({7, 2});
  const lt::Tensor plain = lt::index_add(x, 0, index, values);
  Mode mode(false);
  const lt::Tensor sorted = lt::index_add(x, 0, index, values);
  EXPECT_LT(lt::amax(lt::abs(plain - sorted)).item<float>(), 1e-6f);
}

}  // namespace
