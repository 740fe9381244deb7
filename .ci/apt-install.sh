#!/usr/bin/env bash
# Installs Debian packages non-interactively, as root or through sudo: bash .ci/apt-install.sh PACKAGE...
# The one place CI's scripts call apt-get from.
set -euo pipefail

fail() {
  echo "apt-install: $*" >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || fail "there is no apt-get here; install $* by hand."
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || fail "installing $* needs root (or sudo)."
  sudo=(sudo)
fi
echo "apt-install: installing $*"
"${sudo[@]}" apt-get update -q || fail "apt-get update failed."
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" ||
  fail "apt-get install $* failed."
