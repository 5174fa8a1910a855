#include "libtensor/extension.h"

#include <dlfcn.h>

namespace lt {

void load_library(const std::string& path) {
  // RTLD_GLOBAL so that one extension can use another's symbols; never unloaded, since
  // its kernels stay in the registry.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!handle) {
    const char* why = dlerror();
    fail<ValueError>("load_library", "cannot load '", path, "': ", why ? why : "unknown error");
  }
}

}  // namespace lt
