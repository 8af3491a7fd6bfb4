#!/usr/bin/env bash
# System packages the platform needs beyond Python: nginx (the gateway; Debian's package has
# auth_request), chromium + chromium-driver (the portal's browser tests drive Debian's build;
# Playwright never downloads a browser of its own) and prometheus (for promtool, which checks and
# unit-tests deploy/observability/alerts.yaml). Idempotent; installs only what is missing.
# Run by `make deps` (and so `make test`).
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
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
# The packages start a system nginx on port 80 and a Prometheus server; the platform runs its own
# nginx instances and needs only promtool.
if command -v service >/dev/null 2>&1; then
  service nginx stop >/dev/null 2>&1 || true
  service prometheus stop >/dev/null 2>&1 || true
fi
