#!/usr/bin/env bash
# Packs what tests/gpu/run.sh needs from this (build) machine into one archive: the CUDA
# build of libtensor (made here, with nvcc, for sm_90), the shared libraries it needs that
# a GPU machine's image lacks (oneDNN, OpenBLAS and theirs), the C++ test binaries that
# touch the GPU, and the dlpack header the Python extension includes.
#   tests/gpu/bundle.sh [BUILD_DIR] [ARCHIVE]   (defaults: build-cuda, .gpu/bundle.tar.xz)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build-cuda}
archive=${2:-.gpu/bundle.tar.xz}
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLT_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 \
    -DLT_NATIVE_ARCH=OFF -DLT_PYTHON=OFF -DLT_BUILD_TESTS=ON
fi
cmake --build "$build" --parallel "$(nproc)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib" "$stage/bin" "$stage/include/dlpack"
cp -L "$build/libtensor.so" "$stage/lib/libtensor.so.0"
ln -s libtensor.so.0 "$stage/lib/libtensor.so"
# The dependencies Debian provides here and a CUDA image does not (cuBLAS and the CUDA
# runtime come from the GPU machine itself).
ldd "$build/libtensor.so" | awk '/=> \//{print $3}' | grep -E 'dnnl|openblas|gfortran|quadmath|OpenCL|gomp' |
  while read -r lib; do cp -L "$lib" "$stage/lib/"; done
cp "$build/tests/test_registry" "$stage/bin/"
cp /usr/include/dlpack/dlpack.h "$stage/include/dlpack/"
mkdir -p "$(dirname "$archive")"
tar -C "$stage" -cf - . | xz -T2 -6 > "$archive"
ls -la "$archive"
