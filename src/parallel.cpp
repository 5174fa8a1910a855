// parallel_for's thread pool.
//
// Why not an OpenMP parallel region: its implicit barrier makes the caller wait until
// every thread of the team has run its share, and on a machine whose cores are busy with
// other work a descheduled thread holds the whole region for a scheduler slice
// (milliseconds, where the work took microseconds). Here the calling thread takes chunks
// from a shared counter alongside the workers and waits only for chunks a worker has
// actually started: work nobody else picked up, the caller does itself. Workers spin
// briefly for the next job (back-to-back kernels hand over in microseconds), then sleep.
//
// Inside a chunk, BLAS and oneDNN calls run on one thread (their OpenMP team size is set
// to 1 there), as they did inside an OpenMP region.
#include "libtensor/parallel.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace lt {
namespace {

thread_local bool t_in_region = false;

inline void pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

struct Job {
  const std::function<void(int64_t, int64_t)>* body;
  int64_t begin, end, chunk, chunks;
  std::atomic<int64_t> next{0}, done{0};
  std::mutex error_mutex;
  std::exception_ptr error;

  // Runs chunks until none is left; returns when this thread has no more to claim.
  void work() {
    const bool outer = t_in_region;
    const int omp_threads = omp_get_max_threads();
    t_in_region = true;
    omp_set_num_threads(1);
    for (int64_t c; (c = next.fetch_add(1, std::memory_order_relaxed)) < chunks;) {
      const int64_t b = begin + c * chunk, e = std::min(end, b + chunk);
      try {
        (*body)(b, e);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
      done.fetch_add(1, std::memory_order_release);
    }
    omp_set_num_threads(omp_threads);
    t_in_region = outer;
  }
};

class Pool {
 public:
  static Pool& instance() {
    static Pool* pool = new Pool();  // never destroyed: workers may outlive static destructors
    return *pool;
  }

  int threads() const { return threads_.load(std::memory_order_relaxed); }
  void set_threads(int n) { threads_.store(std::max(n, 1), std::memory_order_relaxed); }

  void run(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& body) {
    const int t = threads();
    ensure_workers(t - 1);
    auto job = std::make_shared<Job>();
    job->body = &body;
    job->begin = begin;
    job->end = end;
    // A few chunks per thread, none below the grain: a late thread finds work to share, and
    // the caller never waits on more than one chunk of a stalled one.
    const int64_t n = end - begin;
    const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>((n + grain - 1) / grain, 4LL * t));
    job->chunk = (n + chunks - 1) / chunks;
    job->chunks = (n + job->chunk - 1) / job->chunk;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = job;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    job->work();
    // Only chunks that a worker claimed can be outstanding; they are running now.
    while (job->done.load(std::memory_order_acquire) < job->chunks) std::this_thread::yield();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (job_ == job) job_.reset();
    }
    if (job->error) std::rethrow_exception(job->error);
  }

 private:
  Pool() : threads_(std::max(1, omp_get_max_threads())) {}

  void ensure_workers(int wanted) {
    std::lock_guard<std::mutex> lock(spawn_mutex_);
    while (static_cast<int>(workers_.size()) < wanted) {
      workers_.emplace_back([this] { loop(); });
      workers_.back().detach();
    }
  }

  void loop() {
    uint64_t seen = generation_.load(std::memory_order_acquire);
    for (;;) {
      // Spin a few tens of microseconds for the next job before sleeping.
      for (int i = 0; i < 4096 && generation_.load(std::memory_order_acquire) == seen; ++i) pause();
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        seen = generation_.load(std::memory_order_acquire);
        job = job_;
      }
      if (job) job->work();
    }
  }

  std::atomic<int> threads_;
  std::mutex mutex_, spawn_mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> generation_{0};
  std::shared_ptr<Job> job_;
  std::vector<std::thread> workers_;
};

}  // namespace

int num_threads() { return Pool::instance().threads(); }
void set_num_threads(int n) {
  Pool::instance().set_threads(n);
  omp_set_num_threads(std::max(n, 1));  // for the libraries that thread themselves (OpenMP)
}
bool in_parallel_region() { return t_in_region; }

namespace detail {

void parallel_run(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& body) {
  Pool::instance().run(begin, end, grain, body);
}

}  // namespace detail
}  // namespace lt
