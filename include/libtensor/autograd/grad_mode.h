// Whether operators record themselves for backward. The mode is per thread, so that one
// thread evaluating without gradients never changes what another records.
#pragma once

namespace lt::autograd {

namespace detail {
struct ModeState {
  bool grad_enabled = true;
  bool inference = false;
};
// One variable for the whole process: default visibility makes the loader merge the
// copies of every library that includes this header, including extension modules
// built with -fvisibility=hidden (Python's, pybind11's default).
__attribute__((visibility("default"))) inline thread_local ModeState mode;
}  // namespace detail

inline bool is_grad_enabled() { return detail::mode.grad_enabled; }
inline void set_grad_enabled(bool enabled) { detail::mode.grad_enabled = enabled; }
inline bool is_inference_mode_enabled() { return detail::mode.inference; }
// Whether an operator run now records itself: the one check on every operator's hot path.
inline bool is_recording() { return detail::mode.grad_enabled && !detail::mode.inference; }

// Sets grad mode for a scope and restores the previous mode when the scope ends.
class AutoGradMode {
 public:
  explicit AutoGradMode(bool enabled) : previous_(is_grad_enabled()) { set_grad_enabled(enabled); }
  ~AutoGradMode() { set_grad_enabled(previous_); }
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool previous_;
};

struct NoGradGuard : AutoGradMode {
  NoGradGuard() : AutoGradMode(false) {}
};
struct EnableGradGuard : AutoGradMode {
  EnableGradGuard() : AutoGradMode(true) {}
};

// Inference mode records nothing, even where code inside it enables grad mode again.
class InferenceMode {
 public:
  explicit InferenceMode(bool enabled = true) : previous_(detail::mode) {
    if (enabled) detail::mode = {false, true};
  }
  ~InferenceMode() { detail::mode = previous_; }
  InferenceMode(const InferenceMode&) = delete;
  InferenceMode& operator=(const InferenceMode&) = delete;

 private:
  detail::ModeState previous_;
};

}  // namespace lt::autograd
