#!/usr/bin/env bash
# System packages the platform needs beyond Python: nginx (the gateway; Debian's package has
# auth_request) and chromium + chromium-driver (the portal's browser tests drive Debian's build;
# Playwright never downloads a browser of its own). Idempotent; installs only what is missing.
# Run by `make deps` (and so `make test`).
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}. Install them (e.g. sudo apt-get install ${missing[*]})." >&2
  exit 1
fi
echo "Installing ${missing[*]} from Debian's packages..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package starts a system nginx on port 80; the platform runs its own instances.
if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
