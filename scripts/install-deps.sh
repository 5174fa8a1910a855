#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of libtensor from Debian's packages.
# Idempotent: packages already present are left alone.
#   scripts/install-deps.sh          what the build, the tests and the benchmarks need
#   scripts/install-deps.sh --fuzz   also clang and libFuzzer, for the LT_FUZZ build (docs/serialization.md)
#   scripts/install-deps.sh --rocm   also hipcc and the HIP runtime, for the LT_ROCM build (docs/rocm.md)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev libdnnl-dev libopenblas-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libdlpack-dev
  pybind11-dev python3-pybind11 python3-dev
  python3-numpy python3-pytest python3-hypothesis python3-torch
  python3-tqdm python3-matplotlib python3-sklearn wamerican
)
if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(clang-14 libclang-rt-14-dev)
elif [[ "${1:-}" == "--rocm" ]]; then
  packages+=(hipcc libamdhip64-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
