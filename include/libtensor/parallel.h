// Splits a range over the CPU's threads (libtensor's pool, src/parallel.cpp). Exceptions
// thrown by the body are carried to the calling thread.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>

namespace lt {

// Elements below this count run on one thread: the fork costs more than it saves.
inline constexpr int64_t kGrainSize = 32768;

int num_threads();
void set_num_threads(int n);
bool in_parallel_region();

namespace detail {
void parallel_run(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& body);
}

// Calls body(b, e) on disjoint chunks covering [begin, end), each at least `grain` long.
template <class F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, F&& body) {
  if (end <= begin) return;
  if (end - begin <= grain || num_threads() == 1 || in_parallel_region()) {
    body(begin, end);
    return;
  }
  detail::parallel_run(begin, end, grain, std::function<void(int64_t, int64_t)>(std::ref(body)));
}

}  // namespace lt
