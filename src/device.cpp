#include "libtensor/device.h"

#include <charconv>

#include "libtensor/error.h"

namespace lt {

std::string_view name(DeviceType t) {
  constexpr std::string_view names[kNumDeviceTypes] = {"cpu", "cuda", "rocm"};
  return names[static_cast<int>(t)];
}

Device::Device(std::string_view spec) {
  auto colon = spec.find(':');
  std::string_view kind = spec.substr(0, colon);
  bool found = false;
  for (int t = 0; t < kNumDeviceTypes; ++t) {
    if (kind == name(static_cast<DeviceType>(t))) {
      type = static_cast<DeviceType>(t);
      found = true;
    }
  }
  if (!found) fail<ValueError>("device", "unknown device '", spec, "': expected cpu, cuda or rocm");
  if (colon != std::string_view::npos) {
    std::string_view num = spec.substr(colon + 1);
    int value = -1;
    auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), value);
    if (ec != std::errc() || end != num.data() + num.size() || value < 0 || value > 32767) {
      fail<ValueError>("device", "invalid device index in '", spec, "'");
    }
    index = static_cast<int16_t>(value);
  }
}

std::string Device::str() const {
  std::string s(name(type));
  if (type != DeviceType::CPU) s += ":" + std::to_string(index);
  return s;
}

}  // namespace lt
