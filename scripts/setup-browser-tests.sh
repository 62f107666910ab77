#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium (Playwright drives it through
# ExecutablePath; it cannot download a browser here), sans-serif fonts for the chart PNGs and the page,
# and the npm packages of tests/KpiBot.BrowserTests/js (the official Adaptive Cards renderer).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'Liberation Sans\|DejaVu Sans' || need+=(fonts-liberation fonts-dejavu-core)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ -f tests/KpiBot.BrowserTests/js/package.json ]; then
  (cd tests/KpiBot.BrowserTests/js && npm ci --no-audit --no-fund --loglevel=error)
fi
