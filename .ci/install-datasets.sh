#!/usr/bin/env bash
# Installs the real datasets the tests and experiments read: Fashion-MNIST from Debian's dataset-fashion-mnist,
# into /usr/share/datasets/fashion-mnist. Idempotent and non-interactive: does nothing when the files are there.
set -euo pipefail

dir=/usr/share/datasets/fashion-mnist
files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

all_present() {
  local f
  for f in "${files[@]}"; do
    [[ -s "$dir/$f" ]] || return 1
  done
}

if all_present; then
  echo "install-datasets: Fashion-MNIST already in $dir"
  exit 0
fi

fail() {
  echo "install-datasets: $*" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 ||
  fail "Fashion-MNIST is missing from $dir and there is no apt-get here; install the Debian package dataset-fashion-mnist, or copy the four files (${files[*]}) into $dir."

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || fail "installing dataset-fashion-mnist needs root (or sudo)."
  sudo=(sudo)
fi

echo "install-datasets: installing dataset-fashion-mnist"
"${sudo[@]}" apt-get update -q || fail "apt-get update failed."
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends dataset-fashion-mnist ||
  fail "apt-get install dataset-fashion-mnist failed."

all_present || fail "dataset-fashion-mnist is installed but $dir does not hold ${files[*]}."
echo "install-datasets: Fashion-MNIST installed in $dir"
