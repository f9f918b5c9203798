#!/usr/bin/env bash
# Headless Chromium for the browser tests (test/browser, driven by playwright-core): Debian's
# package. With CI=true those tests fail rather than skip when it is missing.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
chromium --version
