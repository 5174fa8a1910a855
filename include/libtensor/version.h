#pragma once

#define LT_VERSION_MAJOR 0
#define LT_VERSION_MINOR 1
#define LT_VERSION_PATCH 0

namespace lt {
inline constexpr const char* kVersion = "0.1.0";
}
