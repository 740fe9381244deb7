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

bash "$(dirname "$0")/apt-install.sh" dataset-fashion-mnist ||
  fail "Fashion-MNIST is missing from $dir and could not be installed; install the Debian package dataset-fashion-mnist, or copy the four files (${files[*]}) into $dir."

all_present || fail "dataset-fashion-mnist is installed but $dir does not hold ${files[*]}."
echo "install-datasets: Fashion-MNIST installed in $dir"
