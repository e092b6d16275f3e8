#!/usr/bin/env bash
# Regenerates the README's chart images from a real run of samples/VanishingGradients: runs the sample, renders two of
# its gradient-flow SVGs to PNG with headless chromium into docs/images/, and fails if a PNG is blank.
# Not part of `dotnet test`. Needs: apt-get update && apt-get install -y chromium
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "chromium not found: apt-get update && apt-get install -y chromium" >&2; exit 2; }
out=out/readme-charts
dotnet run --project samples/VanishingGradients -- --out "$out" >/dev/null
status=0
for run in sigmoid-small-init relu-he; do
  png="docs/images/vanishing-$run-gradient-flow.png"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --no-first-run --hide-scrollbars --screenshot="$png" --window-size=960,460 "file://$PWD/$out/$run/gradient-flow.svg" >/dev/null 2>&1
  if ! python3 scripts/check-png.py "$png"; then status=1; fi
done
exit $status
