#include "libtensor/random.h"

#include "libtensor/error.h"

namespace lt {

void Generator::manual_seed(uint64_t seed) {
  std::lock_guard<std::mutex> lock(mutex_);
  seed_ = seed;
  offset_ = 0;
}

void Generator::set_offset(uint64_t offset) {
  std::lock_guard<std::mutex> lock(mutex_);
  offset_ = offset;
}

std::pair<uint64_t, uint64_t> Generator::reserve(uint64_t n) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t first = offset_;
  offset_ += n;
  return {seed_, first};
}

namespace {
constexpr int kMaxDeviceIndex = 64;

struct DefaultGenerators {
  std::mutex mutex;
  uint64_t seed = Generator().seed();  // the seed a generator made later starts from
  std::array<std::array<Generator*, kMaxDeviceIndex>, kNumDeviceTypes> generators{};
};

DefaultGenerators& defaults() {
  static DefaultGenerators* d = new DefaultGenerators();  // never destroyed: used at exit
  return *d;
}
}  // namespace

Generator& default_generator() { return default_generator(kCPU); }

Generator& default_generator(Device device) {
  DefaultGenerators& d = defaults();
  const int index = device.type == DeviceType::CPU ? 0 : device.index;
  LT_CHECK(index >= 0 && index < kMaxDeviceIndex, DeviceError, "generator", "no generator for device ", device.str());
  std::lock_guard lock(d.mutex);
  Generator*& g = d.generators[static_cast<int>(device.type)][index];
  if (!g) g = new Generator(d.seed);
  return *g;
}

void manual_seed(uint64_t seed) {
  DefaultGenerators& d = defaults();
  std::lock_guard lock(d.mutex);
  d.seed = seed;
  for (auto& per_type : d.generators) {
    for (Generator* g : per_type) {
      if (g) g->manual_seed(seed);
    }
  }
}

}  // namespace lt
