#!/usr/bin/env bash
# Puts a build tree's Python package on Debian's /usr/bin/python3 path with a .pth file,
# so that `import libtensor` works from any directory (as `pip install -e` would).
#   scripts/install-python-path.sh build/python
set -euo pipefail
package_dir="$(cd "$1" && pwd)"
site="$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])')"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO mkdir -p "$site"
echo "$package_dir" | $SUDO tee "$site/libtensor.pth" > /dev/null
echo "libtensor: $site/libtensor.pth -> $package_dir"
