#!/usr/bin/env bash
# Installs the Debian packages that provide the commands CI's checks use, each only when its command is missing:
#   bash .ci/install-commands.sh jq:jq unzip:unzip
set -euo pipefail

missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  bash "$(dirname "$0")/apt-install.sh" "${missing[@]}"
fi
