#!/usr/bin/env bash
# First command of the README: installs dependencies (Debian packages), builds libtensor
# in build/ and runs the main demo.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLT_BUILD_TESTS=ON
cmake --build build --parallel "$(nproc)"
./build/examples/demo
