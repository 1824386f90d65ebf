#!/usr/bin/env bash
# Re-record tests/fixtures from every CPython that pyenv has (3.8+), with NumPy installed where
# it installs, then CPython on wasm32 through Pyodide in headless Chromium.
# Usage: npm run record-fixtures            (takes about 15 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
for v in $(pyenv versions --bare | grep -E '^3\.(8|9|1[0-3])\.[0-9]+$'); do
  py="$(pyenv root)/versions/$v/bin/python"
  minor="${v%.*}"
  "$py" -c "import numpy" 2>/dev/null || "$py" -m pip install -q numpy || echo "  (no NumPy for $v: ndarray rows skipped)"
  echo "▸ CPython $v"
  "$py" scripts/measure_cpython.py --out "tests/fixtures/cpython-$minor.json"
done
echo "▸ wasm32 (Pyodide)"
node scripts/record_wasm32.mjs
