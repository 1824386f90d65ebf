"""Record what real CPython reports for a grid of scenarios: the ground truth for tests/fixtures.

Runs under any CPython 3.8+ (NumPy optional) and under Pyodide (CPython on wasm32), where
scripts/record_wasm32.mjs calls main() in headless Chromium. Each record holds the scenario in
the same shape layout() takes, the exact Python code that was run, and what CPython said:
sys.getsizeof of the container, the sum of sys.getsizeof over the distinct element objects, and
the bytes tracemalloc saw allocated for building it.

    python scripts/measure_cpython.py --out tests/fixtures/cpython-3.12.json [--quick]
        [--only ndarray] [--recorded-with "how this interpreter was obtained and run"]

With NumPy 1.21 or older installed, ndarray scenarios carry "numpy": "1.21" (what layout() takes
for that layout); with 1.22 or later they carry no numpy field (the default, "2").
"""

import array
import gc
import itertools
import json
import platform
import sys
import tracemalloc

try:
    import numpy as np
except ImportError:  # Pyodide's npm package ships no NumPy; the records just omit ndarray
    np = None

EMSCRIPTEN = sys.platform == "emscripten"
# CPython on wasm32 as Pyodide builds it ("wasm32-3.13" for Pyodide 0.29, "wasm32-3.14" for 314).
PROFILE = ("wasm32-%d.%d" if EMSCRIPTEN else "cpython-%d.%d") % sys.version_info[:2]
# NumPy 1.21 and older: a 104-byte array header and an untraced cache for small data buffers.
NUMPY_121 = np is not None and tuple(int(x) for x in np.__version__.split(".")[:2]) < (1, 22)

NS = [0, 1, 2, 3, 5, 7, 8, 9, 10, 17, 100, 257, 1000, 4097, 65536, 100003, 1000000]
BIG_NS = {1000000}  # the slow sizes, dropped by --quick

INT_VALUES = [
    {"kind": "int_range", "start": 0},
    {"kind": "int_range", "start": -1000},
    {"kind": "int_range", "start": 2**30 - 500},
    {"kind": "int_range", "start": 2**31 - 300},
    {"kind": "int_range", "start": -(2**31) - 300},
    {"kind": "int_range", "start": 2**60 - 10},
    {"kind": "int_range", "start": -(2**62)},
    {"kind": "int_mod", "k": 100},
    {"kind": "int_mod", "k": 1000},
    {"kind": "constant", "value": 7},
    {"kind": "constant", "value": 100000},
]
FLOAT_VALUES = [
    {"kind": "float_range", "start": 0},
    {"kind": "constant", "value": 2.5},
]

TYPECODE_LIMITS = {
    "b": (-(2**7), 2**7 - 1), "B": (0, 2**8 - 1), "h": (-(2**15), 2**15 - 1),
    "H": (0, 2**16 - 1), "i": (-(2**31), 2**31 - 1), "I": (0, 2**32 - 1),
    "l": (-(2**63), 2**63 - 1), "L": (0, 2**64 - 1), "q": (-(2**63), 2**63 - 1),
    "Q": (0, 2**64 - 1),
}
if EMSCRIPTEN:  # C long is 32 bits on wasm32
    TYPECODE_LIMITS["l"] = (-(2**31), 2**31 - 1)
    TYPECODE_LIMITS["L"] = (0, 2**32 - 1)
DTYPE_LIMITS = {
    "bool": (0, 1), "int8": (-(2**7), 2**7 - 1), "uint8": (0, 2**8 - 1),
    "int16": (-(2**15), 2**15 - 1), "uint16": (0, 2**16 - 1),
    "int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1),
    "int64": (-(2**63), 2**63 - 1), "uint64": (0, 2**64 - 1),
}


def literal(v):
    return repr(v)


def value_bounds(values, n):
    """(lowest, highest) int value the scenario produces, or None for floats/empty."""
    kind = values["kind"]
    if n == 0:
        return None
    if kind == "int_range":
        return values["start"], values["start"] + n - 1
    if kind == "int_mod":
        return 0, min(n, values["k"]) - 1
    if kind == "constant" and isinstance(values["value"], int):
        return values["value"], values["value"]
    return None


def python_code(s):
    """The statements that build x, exactly as the model's code() renders them."""
    c, v, n = s["container"], s["values"], s["n"]
    kind = v["kind"]
    if kind == "int_range":
        rng = "range(%s, %s + n)" % (literal(v["start"]), literal(v["start"]))
        it, item, loop = rng, "i", "for i in " + rng
    elif kind == "float_range":
        rng = "range(%s, %s + n)" % (literal(v["start"]), literal(v["start"]))
        it, item, loop = "map(float, %s)" % rng, "float(i)", "for i in " + rng
    elif kind == "int_mod":
        it = "(i %% %s for i in range(n))" % literal(v["k"])
        item, loop = "i %% %s" % literal(v["k"]), "for i in range(n)"
    else:
        it = "itertools.repeat(%s, n)" % literal(v["value"])
        item, loop = literal(v["value"]), "for _ in range(n)"
    if c == "list_append":
        return "x = []\n%s:\n    x.append(%s)" % (loop, item)
    if c == "list_range":
        return "x = list(%s)" % it
    if c == "list_comprehension":
        return "x = [%s %s]" % (item, loop)
    if c == "list_repeat":
        return "x = [%s] * n" % literal(v["value"])
    if c == "tuple":
        return "x = tuple(%s)" % it
    if c == "array":
        return "x = array.array(%r, %s)" % (s["typecode"], it)
    dt = "np.bool_" if s["dtype"] == "bool" else "np." + s["dtype"]
    if kind == "int_range":
        return "x = np.arange(%s, %s + n, dtype=%s)" % (literal(v["start"]), literal(v["start"]), dt)
    if kind == "float_range":
        return "x = np.arange(%s, %s + n, dtype=%s)" % (literal(float(v["start"])), literal(v["start"]), dt)
    if kind == "int_mod":
        return "x = (np.arange(n) %% %s).astype(%s)" % (literal(v["k"]), dt)
    if v["value"] == 0:
        return "x = np.zeros(n, dtype=%s)" % dt
    return "x = np.full(n, %s, dtype=%s)" % (literal(v["value"]), dt)


RUN = compile("x = build(n)", "<measure>", "exec")


def measure(s):
    code = python_code(s)
    body = "\n".join("    " + line for line in code.split("\n"))
    g = {"array": array, "itertools": itertools, "np": np}
    exec("def build(n):\n%s\n    return x\n" % body, g)
    # Warm up with the same n: the first call creates lasting interpreter state (code caches,
    # 3.8-3.10's zombie frames) that is not the cost of x, and it leaves NumPy's caches of
    # freed buffers as any program that made an array of this size before would have them.
    g["n"] = s["n"]
    exec(RUN, g)
    del g["x"]
    gc.collect()  # the highest generation also empties the free lists, so x's objects are fresh
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    exec(RUN, g)
    gc.collect()  # temporaries parked on free lists are released before we read
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    x = g.pop("x")
    rec = {"scenario": s, "code": code, "getsizeofContainer": sys.getsizeof(x),
           "tracemalloc": after - before}
    if isinstance(x, (list, tuple)):
        distinct = {}
        for o in x:
            distinct[id(o)] = o
        rec["elementsCount"] = len(x)
        rec["elementsDistinct"] = len(distinct)
        rec["getsizeofElements"] = sum(sys.getsizeof(o) for o in distinct.values())
    else:
        rec["elementsCount"] = len(x)
        rec["elementsDistinct"] = 0
        rec["getsizeofElements"] = 0
    del x
    gc.collect()
    return rec


def fits(bounds, limits):
    return bounds is None or (limits[0] <= bounds[0] and bounds[1] <= limits[1])


def scenarios(quick):
    ns = [n for n in NS if not (quick and n in BIG_NS)]
    for n in ns:
        for container in ("list_append", "list_range", "list_comprehension", "tuple"):
            for v in INT_VALUES + FLOAT_VALUES:
                yield {"container": container, "values": v, "n": n}
        for v in (INT_VALUES[-2], INT_VALUES[-1], FLOAT_VALUES[-1]):
            yield {"container": "list_repeat", "values": v, "n": n}
        for tc in "bBhHiIlLqQfd":
            choices = [{"kind": "int_range", "start": 0}, {"kind": "int_mod", "k": 100},
                       {"kind": "int_range", "start": -1000}]
            if tc in "fd":
                choices = [FLOAT_VALUES[0], {"kind": "int_range", "start": 0}]
            for v in choices:
                if tc in TYPECODE_LIMITS and not fits(value_bounds(v, n), TYPECODE_LIMITS[tc]):
                    continue
                yield {"container": "array", "typecode": tc, "values": v, "n": n}
        if np is not None:
            for dt in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                       "uint64", "float16", "float32", "float64"):
                choices = [{"kind": "int_range", "start": 0}, {"kind": "int_mod", "k": 2},
                           {"kind": "constant", "value": 0}, {"kind": "constant", "value": 1}]
                if dt.startswith("float"):
                    choices.append(FLOAT_VALUES[0])
                for v in choices:
                    if dt in DTYPE_LIMITS and not fits(value_bounds(v, n), DTYPE_LIMITS[dt]):
                        continue
                    yield {"container": "ndarray", "dtype": dt, "values": v, "n": n}


def jsonable(s):
    """Scenario as layout() takes it: big ints as decimal strings, which JS numbers cannot hold."""
    out = dict(s, profile=PROFILE)
    if NUMPY_121 and s["container"] == "ndarray":
        out["numpy"] = "1.21"
    v = dict(s["values"])
    for key in ("start", "value"):
        if isinstance(v.get(key), int) and abs(v[key]) > 2**53 - 1:
            v[key] = str(v[key])
    out["values"] = v
    return out


def main(quick=False, progress=None, only=None, recorded_with=None):
    records = []
    for s in scenarios(quick):
        if only and s["container"] not in only:
            continue
        rec = measure(s)
        rec["scenario"] = jsonable(s)
        records.append(rec)
        if progress is not None and len(records) % 100 == 0:
            progress(len(records))
    return dump({
        "profile": PROFILE,
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": sys.platform,
        "machine": platform.machine(),
        "numpy": np.__version__ if np is not None else None,
        "harness": "build(n) once, untimed; gc.collect(); tracemalloc.start(); x = build(n); "
                   "gc.collect(); traced delta",
        "recordedWith": recorded_with,
        "records": records,
    })


def dump(doc):
    """JSON with one record per line: compact, and diffs stay readable when re-recorded."""
    compact = lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"))
    head = ",\n".join("%s:%s" % (json.dumps(k), compact(v)) for k, v in sorted(doc.items()) if k != "records")
    rows = ",\n".join(compact(r) for r in doc["records"])
    return "{%s,\n\"records\":[\n%s\n]}" % (head, rows)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true", help="skip n = 10**6")
    ap.add_argument("--only", action="append", metavar="CONTAINER",
                    help="record only this container kind (repeatable), e.g. --only ndarray")
    ap.add_argument("--recorded-with", help="how this interpreter was obtained and run")
    a = ap.parse_args()
    text = main(a.quick, progress=lambda k: print("  %d scenarios" % k, file=sys.stderr),
                only=a.only, recorded_with=a.recorded_with)
    with open(a.out, "w") as f:
        f.write(text + "\n")
    print("%s: %d records -> %s" % (PROFILE, text.count('"tracemalloc"'), a.out))
