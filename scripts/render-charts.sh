#!/usr/bin/env bash
# Renders the health charts the report tests write (sigmoid and ReLU 8-layer MLPs) to PNG with headless chromium
# and fails if any PNG is blank. Not part of `dotnet test`: CI has only the .NET SDK.
# Usage: scripts/render-charts.sh [output-dir]   (needs: apt-get install -y chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/charts}"
command -v chromium >/dev/null || { echo "chromium not found: apt-get update && apt-get install -y chromium" >&2; exit 2; }
dotnet test tests/AutoGrad.Health.Tests --nologo -v q --filter "FullyQualifiedName~ReportTests" >/dev/null
src=tests/AutoGrad.Health.Tests/bin/Debug/net10.0/charts
mkdir -p "$out"
status=0
for file in "$src"/*/*.svg "$src"/*/*.html; do
  name="$(basename "$(dirname "$file")")-$(basename "${file%.*}").png"
  height=500; [[ "$file" == *.html ]] && height=2000
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --no-first-run --hide-scrollbars --screenshot="$out/$name" --window-size=1000,$height "file://$PWD/$file" >/dev/null 2>&1
  if ! python3 scripts/check-png.py "$out/$name"; then status=1; fi
done
exit $status
