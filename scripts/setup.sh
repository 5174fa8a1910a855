#!/usr/bin/env bash
# First command of the README: installs dependencies (Debian packages), builds libtensor
# and its Python package in build/, makes `import libtensor` work for Debian's
# /usr/bin/python3, and runs the demos, ending with the flagship example (a transformer that
# learns to invent words, about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLT_BUILD_TESTS=ON -DLT_PYTHON=ON
cmake --build build --parallel "$(nproc)"
bash scripts/install-python-path.sh build/python
./build/examples/demo
/usr/bin/python3 examples/demo.py
/usr/bin/python3 examples/char_transformer.py
