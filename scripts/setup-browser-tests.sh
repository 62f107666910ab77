#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium (Playwright drives it through
# ExecutablePath; it cannot download a browser here) and the npm packages of tests/KpiBot.BrowserTests/js.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
fi
if [ -f tests/KpiBot.BrowserTests/js/package.json ]; then
  (cd tests/KpiBot.BrowserTests/js && npm ci --no-audit --no-fund --loglevel=error)
fi
