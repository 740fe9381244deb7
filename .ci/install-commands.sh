#!/usr/bin/env bash
# Installs the Debian packages that provide the commands CI's checks use, each only when its command is missing:
#   bash .ci/install-commands.sh jq:jq unzip:unzip
# Idempotent and non-interactive (root, or sudo).
set -euo pipefail

missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

fail() {
  echo "install-commands: $*" >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || fail "no apt-get here; install ${missing[*]} by hand."
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || fail "installing ${missing[*]} needs root (or sudo)."
  sudo=(sudo)
fi
echo "install-commands: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q || fail "apt-get update failed."
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
  fail "apt-get install ${missing[*]} failed."
