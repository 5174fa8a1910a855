#!/usr/bin/env bash
# All of issue 7's GPU checking in one go, on a machine with an NVIDIA GPU, CUDA 13 and
# a Python with PyTorch (CUDA), pybind11, numpy and pytest:
#   1. builds the Python extension for that machine's Python against the bundled CUDA
#      build of libtensor (tests/gpu/bundle.sh makes the bundle on the build machine);
#   2. C++: the registry has a CUDA kernel for every CPU kernel;
#   3. Python: tests/python/test_cuda.py (every kind of kernel against the CPU backend,
#      and against PyTorch CUDA);
#   4. compute-sanitizer memcheck over a subset of operators;
#   5. a profile of the slow benchmark rows, kernels by device time (profile.log);
#   6. the GPU benchmarks beside PyTorch, timed with CUDA events, a short table last.
# Usage: tests/gpu/run.sh [BUNDLE]   (default .gpu/bundle.tar.xz); logs go to $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
bundle=${1:-.gpu/bundle.tar.xz}
out=${OUT:-/tmp/lt-gpu-out}
work=/tmp/lt-gpu
rm -rf "$work" && mkdir -p "$work/obj" "$work/python" "$out"
status=0
step() { echo; echo "=== $* ($(date +%T))"; }

step "unpack"
xz -dc "$bundle" | tar -C "$work" -xf - || exit 1
cublas=$(find / -name 'libcublas.so.13' -not -path '/proc/*' 2>/dev/null | head -1)
# cuDNN is loaded at run time where found (PyTorch's wheels bring it); without it the
# convolutions run libtensor's own kernels and test_cudnn_loads_beside_pytorch says so.
cudnn=$(find / -name 'libcudnn.so.9' -not -path '/proc/*' 2>/dev/null | head -1)
export LD_LIBRARY_PATH="$work/lib:$(dirname "${cublas:-/usr/local/cuda/lib64/x}"):$(dirname "${cudnn:-/x}"):${LD_LIBRARY_PATH:-}"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"

step "build the Python extension"
cp -r python/libtensor "$work/python/"
suffix=$(python3 -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
includes="-Iinclude -I$work/include $(python3 -m pybind11 --includes)"
ls python/src/*.cpp | xargs -P "$(nproc)" -I{} sh -c \
  "g++ -O2 -fPIC -std=c++20 -fvisibility=hidden -w $includes -c {} -o $work/obj/\$(basename {}).o || echo FAILED {}" \
  2>&1 | tee "$out/build.log"
g++ -shared "$work"/obj/*.o -L"$work/lib" -ltensor -Wl,-rpath,"$work/lib" -o "$work/python/libtensor/_C$suffix" \
  2>&1 | tee -a "$out/build.log"
export PYTHONPATH="$work/python"
python3 -c "import libtensor as lt; print('libtensor sees', lt.cuda.device_count(), 'GPU(s):', lt.cuda.get_device_name())" ||
  exit 1

step "C++: registry coverage"
"$work/bin/test_registry" --gtest_brief=1 2>&1 | tail -5 | tee "$out/cpp.log" || status=1

step "Python GPU tests"
timeout 170 python3 -m pytest -q -p no:cacheprovider -rfE tests/python/test_cuda.py 2>&1 | tee "$out/pytest.log" | tail -40
[[ ${PIPESTATUS[0]} == 0 ]] || status=1

step "compute-sanitizer memcheck"
timeout 80 compute-sanitizer --tool memcheck --error-exitcode 3 --print-limit 20 python3 tests/gpu/memcheck.py \
  > "$out/memcheck.log" 2>&1
echo "memcheck exit status $?"; tail -4 "$out/memcheck.log"

step "profile (kernels by device time, into profile.log)"
timeout 90 python3 benchmarks/profile_cuda.py > "$out/profile.log" 2>&1
echo "profile exit status $?"; grep -E '^(libtensor|torch) ' "$out/profile.log"

step "benchmarks"
timeout 170 python3 benchmarks/bench_cuda.py --json "$out/bench.json" 2>&1 | tee "$out/bench.log" | tail -30
exit $status
