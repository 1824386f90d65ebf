#!/usr/bin/env bash
# Re-record tests/fixtures from real interpreters, each run of scripts/measure_cpython.py noting
# the interpreter, its NumPy and how it was run (the file's "recordedWith"):
#   - CPython 3.8 to 3.13 from pyenv, with the newest NumPy pip installs for each;
#   - NumPy 1.21.6 on CPython 3.8 to 3.10 (venvs; ndarray scenarios only);
#   - CPython 3.14 and 3.15 as Debian builds them, in a Debian sid root made with debootstrap
#     (needs root), NumPy from manylinux wheels downloaded on the host;
#   - CPython 3.13 and 3.14 on wasm32: npm pyodide 0.29 and 314, in headless Chromium;
#   - with every 64-bit CPython above, what glibc really hands out for big buffers in fresh
#     processes (scripts/measure_malloc.py, tests/fixtures/malloc/);
#   - with every CPython above (pyenv, sid, Pyodide), the code of issue 13: list displays,
#     int_offset values, containers built from a list, ndarray shapes and views
#     (scripts/measure_code.py, tests/fixtures/code/; Pyodide without ndarray).
# Usage: npm run record-fixtures [-- --quick]      (about 25 minutes + the code set's; --quick skips n = 10**6)
# Work files (venvs, the sid root, wheels) go to .cache/fixtures/ (SID_ROOT overrides the root).
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=()
[ "${1:-}" = "--quick" ] && QUICK=(--quick)
CACHE="$PWD/.cache/fixtures"
SID="${SID_ROOT:-$CACHE/sid}"
mkdir -p "$CACHE"

measure() { # python out recorded-with [extra args...]
  local py=$1 out=$2 how=$3
  shift 3
  echo "▸ $out ($how)"
  "$py" scripts/measure_cpython.py --out "$out" --recorded-with "$how" "${QUICK[@]}" "$@"
}

# 1. pyenv's CPython 3.8 to 3.13, with NumPy.
for v in $(pyenv versions --bare | grep -E '^3\.(8|9|1[0-3])\.[0-9]+$'); do
  py="$(pyenv root)/versions/$v/bin/python"
  minor="${v%.*}"
  "$py" -c "import numpy" 2>/dev/null || "$py" -m pip install -q numpy || echo "  (no NumPy for $v: ndarray rows skipped)"
  np=$("$py" -c "import numpy; print(numpy.__version__)" 2>/dev/null || echo none)
  measure "$py" "tests/fixtures/cpython-$minor.json" "pyenv CPython $v, NumPy $np from PyPI"
  "$py" scripts/measure_malloc.py --out "tests/fixtures/malloc/malloc-cpython-$minor.json" \
    --recorded-with "pyenv CPython $v, NumPy $np from PyPI, $(ldd --version | head -1)"
  echo "▸ tests/fixtures/code/cpython-$minor.json (pyenv CPython $v)"
  "$py" scripts/measure_code.py --out "tests/fixtures/code/cpython-$minor.json" "${QUICK[@]}" \
    --recorded-with "pyenv CPython $v, NumPy $np from PyPI"
done

# 2. NumPy 1.21.6, the last 1.21, on the Pythons it supports.
for v in $(pyenv versions --bare | grep -E '^3\.(8|9|10)\.[0-9]+$'); do
  minor="${v%.*}"
  venv="$CACHE/venv-numpy121-$minor"
  [ -x "$venv/bin/python" ] || "$(pyenv root)/versions/$v/bin/python" -m venv "$venv"
  "$venv/bin/python" -c "import numpy" 2>/dev/null || "$venv/bin/python" -m pip install -q --only-binary=:all: numpy==1.21.6
  measure "$venv/bin/python" "tests/fixtures/numpy-1.21-cpython-$minor.json" \
    "pyenv CPython $v in a venv with numpy==1.21.6 from PyPI" --only ndarray
  "$venv/bin/python" scripts/measure_malloc.py --out "tests/fixtures/malloc/malloc-numpy-1.21-cpython-$minor.json" \
    --recorded-with "pyenv CPython $v in a venv with numpy==1.21.6, $(ldd --version | head -1)"
done

# 3. Debian's own CPython 3.14 and 3.15, in a sid root.
if [ ! -x "$SID/usr/bin/python3.15" ]; then
  command -v debootstrap >/dev/null || apt-get install -y debootstrap
  # The mirror apt already uses on this machine.
  mirror=$(grep -rhoE 'https?://[^ ]+/debian/?' /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null | grep -v security | head -1)
  echo "▸ debootstrap sid into $SID from ${mirror:?no Debian mirror found in /etc/apt}"
  debootstrap --variant=minbase --include=python3.14,python3.15,python3-pip sid "$SID" "$mirror"
fi
cp scripts/measure_cpython.py scripts/measure_malloc.py scripts/measure_code.py "$SID/tmp/"
for minor in 3.14 3.15; do
  tag="cp${minor/./}"
  wheels="$SID/tmp/wheels-$tag"
  if ! chroot "$SID" "python$minor" -c "import numpy" 2>/dev/null; then
    pip download -q --only-binary=:all: --python-version "$minor" --platform manylinux_2_28_x86_64 numpy -d "$wheels"
    chroot "$SID" "python$minor" -m pip install -q --no-index --break-system-packages "/tmp/wheels-$tag/$(basename "$(ls "$wheels"/numpy-*-"$tag"-*.whl)")"
  fi
  deb=$(chroot "$SID" dpkg-query -W -f '${Version}' "python$minor")
  np=$(chroot "$SID" "python$minor" -c "import numpy; print(numpy.__version__)")
  echo "▸ tests/fixtures/cpython-$minor.json (Debian sid python$minor $deb)"
  chroot "$SID" "python$minor" /tmp/measure_cpython.py --out "/tmp/cpython-$minor.json" "${QUICK[@]}" \
    --recorded-with "Debian sid python$minor $deb in a debootstrap root (chroot), NumPy $np from a manylinux_2_28 wheel"
  cp "$SID/tmp/cpython-$minor.json" tests/fixtures/
  chroot "$SID" "python$minor" /tmp/measure_malloc.py --out "/tmp/malloc-cpython-$minor.json" \
    --recorded-with "Debian sid python$minor $deb in a debootstrap root (chroot), NumPy $np, glibc $(chroot "$SID" dpkg-query -W -f '${Version}' libc6)"
  cp "$SID/tmp/malloc-cpython-$minor.json" tests/fixtures/malloc/
  echo "▸ tests/fixtures/code/cpython-$minor.json (Debian sid python$minor $deb)"
  chroot "$SID" "python$minor" /tmp/measure_code.py --out "/tmp/code-cpython-$minor.json" "${QUICK[@]}" \
    --recorded-with "Debian sid python$minor $deb in a debootstrap root (chroot), NumPy $np from a manylinux_2_28 wheel"
  cp "$SID/tmp/code-cpython-$minor.json" "tests/fixtures/code/cpython-$minor.json"
done

# 4. CPython on wasm32 through Pyodide, offline in headless Chromium.
node scripts/record_wasm32.mjs --pyodide node_modules/pyodide "${QUICK[@]}"
node scripts/record_wasm32.mjs --pyodide node_modules/pyodide-314 "${QUICK[@]}"
node scripts/record_wasm32.mjs --pyodide node_modules/pyodide --set code "${QUICK[@]}"
node scripts/record_wasm32.mjs --pyodide node_modules/pyodide-314 --set code "${QUICK[@]}"
echo "✓ fixtures recorded: $(ls tests/fixtures/*.json tests/fixtures/code/*.json | wc -l) files"
