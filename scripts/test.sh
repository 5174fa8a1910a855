#!/usr/bin/env bash
# Second command of the README: the whole test suite.
#   scripts/test.sh              Release build in build/: every C++ test, then the Python tests
#   scripts/test.sh --sanitize   AddressSanitizer + UBSan build in build-sanitize/, every C++ test
#   scripts/test.sh --cuda       the CUDA backend built in build-cuda/ (sm_90 only, to keep it
#                                quick), every C++ test and the CUDA Python tests, which skip
#                                without a GPU; on a GPU machine use tests/gpu/run.sh
#   scripts/test.sh --rocm       the ROCm backend built by hipcc in build-rocm/ (gfx90a and
#                                gfx1100), every C++ test (the registry's coverage of ROCm
#                                included) and the GPU Python tests, which skip: no AMD GPU
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
flags=(-DCMAKE_BUILD_TYPE=Release -DLT_PYTHON=ON)
python=1
python_tests=(tests/python)
deps=
if [[ "${1:-}" == "--cuda" ]]; then
  if [[ ! -x /usr/local/cuda/bin/nvcc ]]; then
    echo "scripts/test.sh --cuda: no CUDA toolkit at /usr/local/cuda; the CUDA backend is not built"
    exit 0
  fi
  build=build-cuda
  flags=(-DCMAKE_BUILD_TYPE=Release -DLT_PYTHON=ON -DLT_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90)
  python_tests=(tests/python/test_cuda.py tests/python/test_errors_and_robustness.py)
elif [[ "${1:-}" == "--rocm" ]]; then
  build=build-rocm
  flags=(-DCMAKE_BUILD_TYPE=Release -DLT_PYTHON=ON -DLT_ROCM=ON "-DLT_ROCM_ARCHITECTURES=gfx90a;gfx1100")
  python_tests=(tests/python/test_cuda.py tests/python/test_errors_and_robustness.py)
  deps=--rocm
elif [[ "${1:-}" == "--sanitize" ]]; then
  build=build-sanitize
  # -O1 keeps the instrumented build fast to compile and still quick to run.
  # The Python module is left out: an instrumented extension needs the sanitizer runtime
  # preloaded into the interpreter.
  flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DLT_SANITIZE=ON -DLT_PYTHON=OFF)
  python=0
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi

bash scripts/install-deps.sh $deps
cmake -S . -B "$build" -G Ninja -DLT_BUILD_TESTS=ON "${flags[@]}"
cmake --build "$build" --parallel "$(nproc)"
ctest --test-dir "$build" --output-on-failure --timeout 900
if ((python)); then
  # Debian's interpreter, whatever python3 is first on PATH; the package of this build.
  PYTHONPATH="$PWD/$build/python" /usr/bin/python3 -m pytest -q -p no:cacheprovider "${python_tests[@]}"
fi
