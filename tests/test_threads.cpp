// Many std::threads using the library at once: operators, shared tensors, the version
// counter, the allocator, and operator registration.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using lt::DType;
using lt::Tensor;

constexpr int kThreads = 8;
constexpr int kIters = 200;

// Collects failures from worker threads; the test asserts on the main thread.
class Failures {
 public:
  void check(bool ok, const std::string& what) {
    if (ok) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (messages_.size() < 20) messages_.push_back(what);
    ++count_;
  }
  int count() const { return count_; }
  std::string summary() const {
    std::string s;
    for (const auto& m : messages_) s += m + "\n";
    return s;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> messages_;
  int count_ = 0;
};

template <class F>
void run_threads(int n, F&& body) {
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) threads.emplace_back([&body, t] { body(t); });
  for (auto& th : threads) th.join();
}

std::string at(int thread, int iter, const char* what) {
  return "thread " + std::to_string(thread) + " iter " + std::to_string(iter) + ": " + what;
}

// --- operators --------------------------------------------------------------------------

TEST(Threads, ConcurrentOperators) {
  Failures f;
  const Tensor shared = lt::arange(64, DType::Float32);  // read by every thread
  run_threads(kThreads, [&](int t) {
    try {
      for (int k = 0; k < kIters; ++k) {
        // add
        Tensor r = lt::add(lt::full({64}, static_cast<float>(t)), shared, k);
        bool ok = r.dtype() == DType::Float32 && r.numel() == 64;
        for (int64_t i = 0; i < 64 && ok; ++i) ok = r.data_ptr<float>()[i] == static_cast<float>(t + k * i);
        f.check(ok, at(t, k, "add"));
        // exp
        Tensor e = lt::exp(lt::zeros({3, 5}, DType::Float64));
        ok = true;
        for (int64_t i = 0; i < 15 && ok; ++i) ok = e.data_ptr<double>()[i] == 1.0;
        f.check(ok, at(t, k, "exp"));
        // sum, whole and along a dim
        f.check(lt::sum(shared).item<float>() == 2016.0f, at(t, k, "sum"));
        Tensor rows = lt::sum(shared.view({8, 8}), {1});
        f.check(rows.data_ptr<float>()[t] == static_cast<float>(64 * t + 28), at(t, k, "sum dim"));
        // views and copies of views
        Tensor m = shared.view({8, 8}).t().narrow(0, t, 1).contiguous();  // column t
        ok = m.sizes() == lt::Shape({1, 8});
        for (int64_t i = 0; i < 8 && ok; ++i) ok = m.data_ptr<float>()[i] == static_cast<float>(8 * i + t);
        f.check(ok, at(t, k, "views"));
        Tensor d = shared.view({8, 8}).diagonal().clone();
        f.check(d.data_ptr<float>()[t] == static_cast<float>(9 * t), at(t, k, "diagonal"));
        // Now and then an operator large enough to run on OpenMP threads.
        if (k % 25 == 0) {
          Tensor big = lt::full({100000}, 1.0, DType::Float64);
          f.check(lt::sum(lt::mul(big, static_cast<double>(t))).item<double>() == 100000.0 * t, at(t, k, "big"));
        }
      }
    } catch (const std::exception& e) {
      f.check(false, "thread " + std::to_string(t) + " threw: " + e.what());
    }
  });
  EXPECT_EQ(f.count(), 0) << f.summary();
}

TEST(Threads, ErrorsInOneThreadDoNotDisturbOthers) {
  Failures f;
  run_threads(kThreads, [&](int t) {
    for (int k = 0; k < kIters; ++k) {
      if (t % 2 == 0) {
        bool threw = false;
        try {
          lt::add(lt::ones({3, 4}), lt::ones({5}));
        } catch (const lt::ShapeError& e) {
          threw = std::string(e.what()).rfind("[add]", 0) == 0;
        }
        f.check(threw, at(t, k, "expected ShapeError"));
      } else {
        Tensor r = lt::add(lt::ones({3, 4}), lt::ones({4}));
        f.check(lt::sum(r).item<float>() == 24.0f, at(t, k, "add"));
      }
    }
  });
  EXPECT_EQ(f.count(), 0) << f.summary();
}

TEST(Threads, InPlaceWritesToDisjointViewsOfOneBase) {
  Tensor base = lt::zeros({kThreads, 256});
  // How many versions one in-place add makes, measured alone first.
  const uint64_t before = base.version();
  base.select(0, 0).add_(0.0);
  const uint64_t per_write = base.version() - before;
  ASSERT_GT(per_write, 0u);
  const uint64_t v0 = base.version();

  run_threads(kThreads, [&](int t) {
    Tensor row = base.select(0, t);
    for (int k = 0; k < kIters; ++k) row.add_(1.0);
  });
  EXPECT_EQ(base.version(), v0 + per_write * kThreads * kIters);
  for (int64_t t = 0; t < kThreads; ++t) {
    for (int64_t i = 0; i < 256; ++i) ASSERT_EQ(base.data_ptr<float>()[t * 256 + i], kIters) << t << "," << i;
  }
}

TEST(Threads, AllocatorStaysConsistent) {
  lt::Tensor warm = lt::empty({1});  // install the CPU allocator before counting
  const lt::MemoryStats s0 = lt::memory_stats();
  std::atomic<int64_t> allocations{0};
  run_threads(kThreads, [&](int t) {
    std::vector<Tensor> keep;
    for (int k = 0; k < kIters; ++k) {
      keep.push_back(lt::empty({1 + (k * 37 + t * 101) % 5000}, DType::Float32));
      ++allocations;
      if (keep.size() > 10) keep.erase(keep.begin());
    }
  });
  const lt::MemoryStats s1 = lt::memory_stats();
  EXPECT_EQ(s1.allocated, s0.allocated);
  EXPECT_EQ(s1.num_allocs - s0.num_allocs, allocations.load());
  EXPECT_GE(s1.reserved, s1.allocated);
  EXPECT_GE(s1.peak_allocated, s0.allocated);
}

TEST(Threads, SeparateGeneratorsGiveTheSameNumbers) {
  lt::Generator g(1234);
  const Tensor expected = lt::rand({1000}, DType::Float32, lt::kCPU, &g);
  Failures f;
  run_threads(kThreads, [&](int t) {
    for (int k = 0; k < 20; ++k) {
      lt::Generator mine(1234);
      Tensor r = lt::rand({1000}, DType::Float32, lt::kCPU, &mine);
      bool same = true;
      for (int64_t i = 0; i < 1000 && same; ++i) same = r.data_ptr<float>()[i] == expected.data_ptr<float>()[i];
      f.check(same, at(t, k, "rand"));
    }
  });
  EXPECT_EQ(f.count(), 0) << f.summary();
}

TEST(Threads, SharedGeneratorNeverRepeatsADraw) {
  lt::Generator g(99);
  std::vector<std::vector<double>> firsts(kThreads);
  run_threads(kThreads, [&](int t) {
    for (int k = 0; k < 50; ++k) {
      Tensor r = lt::rand({4}, DType::Float64, lt::kCPU, &g);
      firsts[t].push_back(r.data_ptr<double>()[0] + 2 * r.data_ptr<double>()[1]);
    }
  });
  std::set<double> all;
  for (auto& v : firsts) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * 50));
}

// --- registration -------------------------------------------------------------------------

constexpr int kNames = 600;  // more than two chunks of the registry

std::string op_name(int i) { return "test::op_" + std::to_string(i); }

void probe_kernel(lt::TensorIterator&, lt::ScalarList) {}

TEST(Threads, ConcurrentRegistrationIsConsistent) {
  // Each thread interns every name, starting at a different place, and installs a
  // kernel on the names it owns, while also running operators.
  std::vector<std::vector<lt::OpId>> ids(kThreads, std::vector<lt::OpId>(kNames));
  Failures f;
  run_threads(kThreads, [&](int t) {
    try {
      for (int j = 0; j < kNames; ++j) {
        const int i = (j + t * kNames / kThreads) % kNames;
        lt::Op<lt::IterKernel> op(op_name(i));
        ids[t][i] = op.id();
        if (i % kThreads == t) op.set_kernel(lt::DeviceType::CPU, probe_kernel);
        if (j % 50 == 0) f.check(lt::add(lt::ones({2}), 1.0).data_ptr<float>()[1] == 2.0f, "add during registration");
      }
    } catch (const std::exception& e) {
      f.check(false, "thread " + std::to_string(t) + " threw: " + e.what());
    }
  });
  ASSERT_EQ(f.count(), 0) << f.summary();

  auto& r = lt::Registry::global();
  std::set<lt::OpId> distinct;
  for (int i = 0; i < kNames; ++i) {
    for (int t = 1; t < kThreads; ++t) ASSERT_EQ(ids[t][i], ids[0][i]) << op_name(i);
    distinct.insert(ids[0][i]);
    auto found = r.find(op_name(i));
    ASSERT_TRUE(found.has_value()) << op_name(i);
    EXPECT_EQ(*found, ids[0][i]);
    EXPECT_EQ(r.name(ids[0][i]), op_name(i));
    EXPECT_EQ(r.kernel(ids[0][i], lt::DeviceType::CPU), reinterpret_cast<lt::AnyFn>(probe_kernel)) << op_name(i);
  }
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kNames));
  // Built-in operators kept their ids and kernels.
  EXPECT_EQ(r.name(*r.find("add")), "add");
  EXPECT_NE(r.kernel(*r.find("add"), lt::DeviceType::CPU), nullptr);

  int listed = 0;
  for (const auto& info : r.list()) {
    if (info.name.rfind("test::op_", 0) == 0) {
      ++listed;
      EXPECT_TRUE(info.has_kernel[static_cast<int>(lt::DeviceType::CPU)]) << info.name;
    }
  }
  EXPECT_EQ(listed, kNames);
}

TEST(Threads, ConcurrentSignatureConflictsAreAllRefused) {
  lt::Op<lt::IterKernel> first("test::typed");
  std::atomic<int> refused{0}, accepted{0};
  run_threads(kThreads, [&](int) {
    for (int k = 0; k < 50; ++k) {
      try {
        lt::Op<lt::TensorKernel> wrong("test::typed");
        ++accepted;
      } catch (const lt::ValueError&) {
        ++refused;
      }
      lt::Op<lt::IterKernel> right("test::typed");
      if (right.id() != first.id()) ++accepted;  // a second entry would be a bug
    }
  });
  EXPECT_EQ(refused.load(), kThreads * 50);
  EXPECT_EQ(accepted.load(), 0);
}

}  // namespace
