#!/usr/bin/env bash
# Opens a results folder's report.html in headless Chromium, as a reader would, and keeps what
# it saw: the DOM after loading (dom.html), the browser's log with any console errors
# (console.log) and a screenshot of the page, 1280 pixels wide and HEIGHT tall (page.png;
# default 12000, enough for a dozen charts).
#
#   scripts/browser-check.sh RESULTS_DIR OUT_DIR [HEIGHT]
#
# Installs Debian's chromium if it is missing (needs root). Runs Chromium with --no-sandbox,
# since it runs as root in containers, and with everything that could reach the network off.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 RESULTS_DIR OUT_DIR [HEIGHT]" >&2
    exit 2
fi
results=$1
out=$2
height=${3:-12000}
report="$(cd "$results" && pwd)/report.html"
if [ ! -f "$report" ]; then
    echo "error: $report not found: run porcupine first" >&2
    exit 2
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "chromium not found: installing Debian's chromium" >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
    browser=$(command -v chromium)
fi

run() {
    local profile
    profile=$(mktemp -d)
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" "$@"
    rm -rf "$profile"
}

run --enable-logging=stderr --v=0 --dump-dom "file://$report" >"$out/dom.html" 2>"$out/console.log"
run --window-size=1280,"$height" --screenshot="$out/page.png" "file://$report" 2>/dev/null
echo "wrote $out/dom.html, $out/console.log and $out/page.png"
