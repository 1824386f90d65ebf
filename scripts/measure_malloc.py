"""Record what glibc's malloc really hands out for big buffers: the ground truth for the model's
`allocated` figures past 128 KiB (tests/fixtures/malloc/).

glibc serves a request of at least its mmap threshold with a mapping of its own (whole pages),
anything smaller from its heap. The threshold starts at 128 KiB and rises whenever the program
frees a mapped chunk bigger than it (up to 32 MiB): `import numpy` does that. So each record is
made in a fresh process, in a stated state:
  - "startup": a fresh interpreter (what a script building lists and arrays sees);
  - "numpy": a fresh interpreter after `import numpy` (what any ndarray scenario sees).
In each it records the smallest request a fresh process maps (a binary search, one process per
try, 16-byte steps: below it glibc's heap serves the request, from free space at its top or
under a threshold an earlier free raised) and, for a grid of scenarios whose buffers are near
it, the size word of the chunk holding x's buffer (flags masked off), whether it is mapped, and what
the allocator holds for it (`heldBytes`: the chunk, or for a mapped one its whole mapping).

    python scripts/measure_malloc.py --out tests/fixtures/malloc/malloc-cpython-3.12.json
"""

import json
import platform
import subprocess
import sys

PROFILE = "cpython-%d.%d" % sys.version_info[:2]

# One allocation of `size` bytes as the state's scenarios make theirs (a list's item array
# through PyMem_Malloc, an ndarray's buffer through NumPy), in a fresh process: mapped or not.
PROBE = r"""
import ctypes, sys
size, state = int(sys.argv[1]), sys.argv[2]
if state == "numpy":
    import numpy as np
    x = np.empty(size, dtype=np.uint8)
    addr = x.ctypes.data
else:
    x = [None] * (size // 8)
    addr = ctypes.c_void_p.from_address(id(x) + 24).value
print(ctypes.c_size_t.from_address(addr - 8).value & 2)
"""


def mapped(size, state):
    out = subprocess.run([sys.executable, "-c", PROBE, str(size), state], capture_output=True,
                         text=True, check=True)
    return out.stdout.strip() == "2"


def smallest_mapped(state):
    """The smallest request (a multiple of 16) that a fresh process maps, in the state."""
    lo, hi = 64 * 1024, 64 << 20
    if mapped(lo, state) or not mapped(hi, state):
        return None
    while hi - lo > 16:
        mid = (lo + hi) // 2 // 16 * 16
        if mapped(mid, state):
            hi = mid
        else:
            lo = mid
    return hi


BUILD = r"""
import array, ctypes, json, sys
code, where = sys.argv[1], sys.argv[2]
g = {"array": array}
if "np." in code:
    import numpy as np
    g["np"] = np
exec(code, g)
x = g["x"]
if where == "ndarray":
    addr = x.ctypes.data
elif where == "array":
    addr = x.buffer_info()[0]
elif where == "tuple":  # the object itself, behind its GC header
    addr = id(x) - 16
else:  # a list's ob_item: after ob_refcnt, ob_type, ob_size
    addr = ctypes.c_void_p.from_address(id(x) + 24).value
word = ctypes.c_size_t.from_address(addr - 8).value
rec = {"chunkSize": word & ~7, "mapped": bool(word & 2)}
# A mapped chunk may start past its mapping's start (glibc keeps that offset in prev_size, and
# newer glibc keeps a few bytes out of the size word): what the allocator holds for it is the
# mapping, whole pages.
prev = ctypes.c_size_t.from_address(addr - 16).value if rec["mapped"] else 0
rec["heldBytes"] = (rec["chunkSize"] + prev + 4095) // 4096 * 4096 if rec["mapped"] else rec["chunkSize"]
print(json.dumps(rec))
"""


def run(script, *args):
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def grid():
    """(scenario, code, buffer kind): buffers from 96 KiB to 4 MiB, around the thresholds."""
    for n in (12288, 16382, 16383, 16384, 20000, 24000, 26000, 28000, 32768, 65536, 500000):
        yield ({"container": "ndarray", "dtype": "float64", "values": {"kind": "int_range", "start": 0},
                "n": n}, "x = np.arange(0, 0 + %d, dtype=np.float64)" % n, "ndarray")
        yield ({"container": "ndarray", "dtype": "float64", "values": {"kind": "constant", "value": 0},
                "n": n}, "x = np.zeros(%d, dtype=np.float64)" % n, "ndarray")
        yield ({"container": "ndarray", "dtype": "int64", "values": {"kind": "int_mod", "k": 2},
                "n": n}, "x = (np.arange(%d) %% 2).astype(np.int64)" % n, "ndarray")
        yield ({"container": "ndarray", "dtype": "uint8", "values": {"kind": "int_mod", "k": 2},
                "n": n * 8}, "x = (np.arange(%d) %% 2).astype(np.uint8)" % (n * 8), "ndarray")
        yield ({"container": "list_range", "values": {"kind": "int_range", "start": 0}, "n": n},
               "x = list(range(0, 0 + %d))" % n, "list")
        yield ({"container": "list_repeat", "values": {"kind": "constant", "value": 7}, "n": n},
               "x = [7] * %d" % n, "list")
        yield ({"container": "array", "typecode": "q", "values": {"kind": "int_range", "start": 0},
                "n": n}, "x = array.array('q', range(0, 0 + %d))" % n, "array")
        yield ({"container": "list_append", "values": {"kind": "int_range", "start": 0}, "n": n},
               "x = []\nfor i in range(0, 0 + %d):\n    x.append(i)" % n, "list")
        yield ({"container": "tuple", "values": {"kind": "int_range", "start": 0}, "n": n},
               "x = tuple(range(0, 0 + %d))" % n, "tuple")
        yield ({"container": "tuple", "values": {"kind": "float_range", "start": 0}, "n": n},
               "x = tuple(map(float, range(0, 0 + %d)))" % n, "tuple")


def main():
    has_numpy = subprocess.run([sys.executable, "-c", "import numpy"]).returncode == 0
    numpy_121 = has_numpy and subprocess.run(
        [sys.executable, "-c", "import numpy, sys; sys.exit(tuple(map(int, numpy.__version__.split('.')[:2])) >= (1, 22))"]
    ).returncode == 0
    records = []
    for scenario, code, where in grid():
        if scenario["container"] == "ndarray" and not has_numpy:
            continue
        state = "numpy" if scenario["container"] == "ndarray" else "startup"
        rec = run(BUILD, code, where)
        scenario = dict(scenario, profile=PROFILE)
        if scenario["container"] == "ndarray" and numpy_121:
            scenario["numpy"] = "1.21"
        records.append(dict(rec, scenario=scenario, code=code, state=state))
    thresholds = {"startup": smallest_mapped("startup")}
    if has_numpy:
        thresholds["numpy"] = smallest_mapped("numpy")
    numpy_version = None
    if has_numpy:
        numpy_version = subprocess.run([sys.executable, "-c", "import numpy; print(numpy.__version__)"],
                                       capture_output=True, text=True).stdout.strip()
    return {
        "profile": PROFILE,
        "python": sys.version.split()[0],
        "numpy": numpy_version,
        "libc": "%s %s" % platform.libc_ver(),
        "harness": "a fresh interpreter per record, x built once; the chunk size word before x's "
                   "buffer, flags masked off",
        "thresholds": thresholds,
        "records": records,
    }


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--recorded-with")
    a = ap.parse_args()
    doc = main()
    doc["recordedWith"] = a.recorded_with
    head = ",\n".join("%s:%s" % (json.dumps(k), json.dumps(v, sort_keys=True))
                      for k, v in sorted(doc.items()) if k != "records")
    rows = ",\n".join(json.dumps(r, sort_keys=True, separators=(",", ":")) for r in doc["records"])
    with open(a.out, "w") as f:
        f.write("{%s,\n\"records\":[\n%s\n]}\n" % (head, rows))
    print("%s: %d records, thresholds %s -> %s" % (PROFILE, len(doc["records"]), doc["thresholds"], a.out))
