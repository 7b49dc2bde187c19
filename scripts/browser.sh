#!/usr/bin/env bash
# Chromium and CJK fonts for the console's browser tests (Debian's packages; without a CJK
# font Chinese renders as empty boxes). Installs them when either is missing; needs root
# or sudo for that. Usage: scripts/browser.sh
set -euo pipefail

if command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    exit 0
fi
if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null; then
    SUDO=(sudo)
else
    echo "browser.sh: chromium and fonts-noto-cjk are missing; install them as root" >&2
    exit 1
fi
echo "browser.sh: installing chromium and fonts-noto-cjk" >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >&2
