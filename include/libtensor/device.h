// Where a tensor's memory lives. The registry keys kernels by DeviceType.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lt {

enum class DeviceType : uint8_t { CPU, CUDA, ROCm };
inline constexpr int kNumDeviceTypes = 3;

std::string_view name(DeviceType t);

struct Device {
  DeviceType type = DeviceType::CPU;
  int16_t index = 0;

  constexpr Device() = default;
  constexpr Device(DeviceType t, int16_t i = 0) : type(t), index(i) {}  // NOLINT: lt::Device d = kCPU
  // Parses "cpu", "cuda", "cuda:1", "rocm:0".
  explicit Device(std::string_view spec);

  bool operator==(const Device&) const = default;
  std::string str() const;
};

inline constexpr Device kCPU{DeviceType::CPU, 0};

}  // namespace lt
