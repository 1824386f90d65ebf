"""Record what real CPython reports for the code people actually write (issue 13): list displays,
ints made by arithmetic, containers built from an existing list, NumPy shapes and views. The
ground truth for tests/fixtures/code/<profile>.json.

    python scripts/measure_code.py --out tests/fixtures/code/cpython-3.12.json [--quick]
        [--item 1 --item 3] [--recorded-with "how this interpreter was obtained and run"]

It shares measure_cpython.py's profile, value vocabulary, limits and file format (import it from
the same directory), and its harness: the builder runs once at the same n, untraced, its result is
deleted, gc.collect(), then tracemalloc around a second build and a gc.collect(). What is new:

1. container "list_literal": x is a display of the n values written out, compiled from source, so
   each CPython compiles it its own way (BUILD_LIST n; a folded constant tuple + LIST_EXTEND;
   BUILD_LIST 0 + LIST_APPEND for long displays). The record's code is the full source for
   n <= 100, and above an abbreviation "x = [1000, 1001, 1002, …, 10999]" with codeAbbreviated.
2. values {"kind": "int_offset", "base", "start"}: the ints base + i for i in range(start,
   start + n), computed by addition at run time, "b = BASE" being a code constant.
3. "source": "list": x = list(src), tuple(src), array.array(tc, src), np.array(src, dtype=...),
   src built beforehand by the record's "setup" and not counted.
4. "shape": [d0, d1, ...] for ndarray: the 1-D builder followed by .reshape((d0, d1, ...)).
5. "view": {"step": k} for ndarray: base built by "setup" (not counted), x = base[::k].

"setup" statements run before each build, outside tracing, and what they make (src or base)
stays alive during the traced build, which receives it. For ndarray records elementsCount is
x.size (len(x) is only the first dimension).
"""

import array
import gc
import itertools
import json
import os
import platform
import sys
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_cpython as mc  # noqa: E402

np = mc.np
PROFILE = mc.PROFILE
ABBREVIATE_ABOVE = 100

# 1. list displays
LITERAL_NS = [0, 1, 2, 3, 4, 5, 8, 9, 16, 17, 29, 30, 31, 32, 33, 100, 257, 1000, 4097, 10000]
LITERAL_VALUES = [
    {"kind": "int_range", "start": 0},
    {"kind": "int_range", "start": 1000},
    {"kind": "int_range", "start": -1000},
    {"kind": "float_range", "start": 0},
    {"kind": "int_mod", "k": 100},
    {"kind": "constant", "value": 7},
    {"kind": "constant", "value": 100000},
    {"kind": "constant", "value": 2.5},
]

# 2. ints made by addition
OFFSET_NS = [0, 1, 2, 3, 5, 9, 17, 100, 1000, 10000, 100003, 1000000]
OFFSETS = [(2**40, 0), (1000, 0), (2**30 - 500, 0), (-(2**40), 0), (2**60, -10), (0, 0),
           (2**30 - 1, 0), (-(2**30), 0)]
OFFSET_VALUES = [{"kind": "int_offset", "base": b, "start": s} for b, s in OFFSETS]
OFFSET_CONTAINERS = ("list_append", "list_range", "list_comprehension", "list_repeat", "tuple")

# 3. built from a list
SOURCE_VALUES = [
    {"kind": "int_range", "start": 0},
    {"kind": "int_range", "start": -1000},
    {"kind": "float_range", "start": 0},
    {"kind": "int_mod", "k": 100},
    {"kind": "constant", "value": 7},
]
TYPECODES = "bBhHiIlLqQfd"
DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64")

# 4. shapes: n -> shapes
SHAPES = [
    (12, [[3, 4], [2, 2, 3], [12], [1, 12], [12, 1], [2, 3, 2]]),
    (0, [[0], [0, 5]]),
    (1000, [[10, 100], [10, 10, 10]]),
    (100000, [[100, 1000], [10, 100, 100]]),
    (1000000, [[1000, 1000]]),
]
SHAPE_DTYPES = ("int64", "uint8", "float64", "bool", "int32")
SHAPE_VALUES = [{"kind": "int_range", "start": 0}, {"kind": "constant", "value": 0}]

# 5. views
VIEW_STEPS = [1, 2, 3, 7, 1000, -1, -2]
VIEW_NS = [0, 1, 10, 1000, 100003]
VIEW_DTYPES = ("int64", "uint8", "float32")
# int_range 0 as asked; constant 0 (np.zeros) as well, so uint8 has views past n = 256.
VIEW_VALUES = [{"kind": "int_range", "start": 0}, {"kind": "constant", "value": 0}]


def lit(v):
    return repr(v)


def value_bounds(values, n):
    if values["kind"] == "int_offset":
        if n == 0:
            return None
        lo = values["base"] + values["start"]
        return lo, lo + n - 1
    return mc.value_bounds(values, n)


def literal_items(v, n):
    kind = v["kind"]
    if kind == "int_range":
        return [lit(v["start"] + i) for i in range(n)]
    if kind == "float_range":
        return [lit(float(v["start"] + i)) for i in range(n)]
    if kind == "int_mod":
        return [lit(i % v["k"]) for i in range(n)]
    if kind == "constant":
        return [lit(v["value"])] * n
    if kind == "int_offset":
        return ["b + %s" % lit(v["start"] + i) for i in range(n)]
    raise ValueError(kind)


def list_literal_code(v, n):
    """(source run, source recorded, abbreviated?)"""
    prefix = "b = %s\n" % lit(v["base"]) if v["kind"] == "int_offset" else ""
    items = literal_items(v, n)
    full = "%sx = [%s]" % (prefix, ", ".join(items))
    if n <= ABBREVIATE_ABOVE:
        return full, full, False
    short = "%sx = [%s, %s, %s, \u2026, %s]" % (prefix, items[0], items[1], items[2], items[-1])
    return full, short, True


def offset_code(s):
    c, v = s["container"], s["values"]
    b, st = lit(v["base"]), lit(v["start"])
    rng = "range(%s, %s + n)" % (st, st)
    head = "b = %s\n" % b
    if c == "list_append":
        return head + "x = []\nfor i in %s:\n    x.append(b + i)" % rng
    if c == "list_range":
        return head + "x = list(b + i for i in %s)" % rng
    if c == "list_comprehension":
        return head + "x = [b + i for i in %s]" % rng
    if c == "list_repeat":
        return head + "x = [b + %s] * n" % st
    if c == "tuple":
        return head + "x = tuple(b + i for i in %s)" % rng
    raise ValueError(c)


def iterable_text(v):
    """The iterable measure_cpython.python_code() feeds list()/tuple()/array() for these values."""
    one = dict(container="list_range", values=v, n=0)
    return mc.python_code(one)[len("x = list("):-1]


def dtype_text(dt):
    return "np.bool_" if dt == "bool" else "np." + dt


def shape_text(shape):
    return "(%s,)" % shape[0] if len(shape) == 1 else "(%s)" % ", ".join(str(d) for d in shape)


def codes(s):
    """(setup or None, code run, code recorded, abbreviated?) for scenario s."""
    c, v = s["container"], s["values"]
    if c == "list_literal":
        run, shown, abbr = list_literal_code(v, s["n"])
        return None, run, shown, abbr
    if s.get("source") == "list":
        if v["kind"] == "int_offset":
            setup = "b = %s\nsrc = [b + i for i in range(%s, %s + n)]" % (
                lit(v["base"]), lit(v["start"]), lit(v["start"]))
        else:
            setup = "src = list(%s)" % iterable_text(v)
        if c == "list_range":
            code = "x = list(src)"
        elif c == "tuple":
            code = "x = tuple(src)"
        elif c == "array":
            code = "x = array.array(%r, src)" % s["typecode"]
        else:
            code = "x = np.array(src, dtype=%s)" % dtype_text(s["dtype"])
        return setup, code, code, False
    if "view" in s:
        setup = "base = " + mc.python_code(dict(s, view=None))[len("x = "):]
        code = "x = base[::%d]" % s["view"]["step"]
        return setup, code, code, False
    if "shape" in s:
        code = mc.python_code(s) + ".reshape(%s)" % shape_text(s["shape"])
        return None, code, code, False
    if v["kind"] == "int_offset":
        code = offset_code(s)
        return None, code, code, False
    raise ValueError(s)


RUN = compile("x = build(n)", "<measure>", "exec")
RUN_WITH = compile("x = build(n, given)", "<measure>", "exec")
SETUP = compile("given = setup(n)", "<measure>", "exec")


def indent(code):
    return "\n".join("    " + line for line in code.split("\n"))


def measure(s):
    setup, code, shown, abbreviated = codes(s)
    g = {"array": array, "itertools": itertools, "np": np, "n": s["n"]}
    if setup is None:
        exec("def build(n):\n%s\n    return x\n" % indent(code), g)
        run = RUN
    else:
        name = "src" if s.get("source") == "list" else "base"
        exec("def setup(n):\n%s\n    return %s\n" % (indent(setup), name), g)
        exec("def build(n, %s):\n%s\n    return x\n" % (name, indent(code)), g)
        run = RUN_WITH
    # Warm up with the same n (see measure_cpython.measure), setup included. x and given are
    # then set to None rather than deleted: with more names in g than measure_cpython has, a
    # deleted key re-inserted while tracing can make the globals dict resize (~400 B traced).
    g["x"] = g["given"] = None
    if setup is not None:
        exec(SETUP, g)
    exec(run, g)
    g["x"] = g["given"] = None
    if setup is not None:
        exec(SETUP, g)  # what the traced build is given, made and kept outside tracing
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    exec(run, g)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    x = g.pop("x")
    rec = {"scenario": s, "code": shown, "getsizeofContainer": sys.getsizeof(x),
           "tracemalloc": after - before}
    if abbreviated:
        rec["codeAbbreviated"] = True
    if setup is not None:
        rec["setup"] = setup
    if isinstance(x, (list, tuple)):
        distinct = {}
        for o in x:
            distinct[id(o)] = o
        rec["elementsCount"] = len(x)
        rec["elementsDistinct"] = len(distinct)
        rec["getsizeofElements"] = sum(sys.getsizeof(o) for o in distinct.values())
    else:
        rec["elementsCount"] = int(x.size) if np is not None and isinstance(x, np.ndarray) else len(x)
        rec["elementsDistinct"] = 0
        rec["getsizeofElements"] = 0
    del x
    g.clear()
    gc.collect()
    return rec


def fits(values, n, limits):
    return mc.fits(value_bounds(values, n), limits)


def scenarios(quick, items):
    big = lambda n: quick and n in mc.BIG_NS
    seen = set()

    def once(s):
        key = json.dumps(s, sort_keys=True)
        if key in seen:
            return False
        seen.add(key)
        return True

    if 1 in items:
        for n in LITERAL_NS:
            for v in LITERAL_VALUES + OFFSET_VALUES:
                s = {"container": "list_literal", "values": v, "n": n}
                if once(s):
                    yield 1, s
    if 2 in items:
        for n in OFFSET_NS:
            if big(n):
                continue
            for c in OFFSET_CONTAINERS:
                for v in OFFSET_VALUES:
                    yield 2, {"container": c, "values": v, "n": n}
    if 3 in items:
        for n in mc.NS:
            if big(n):
                continue
            for c in ("list_range", "tuple"):
                for v in SOURCE_VALUES + [OFFSET_VALUES[0]]:
                    yield 3, {"container": c, "source": "list", "values": v, "n": n}
            for tc in TYPECODES:
                for v in SOURCE_VALUES:
                    if v["kind"] == "float_range" and tc not in "fd":
                        continue
                    if tc in mc.TYPECODE_LIMITS and not fits(v, n, mc.TYPECODE_LIMITS[tc]):
                        continue
                    yield 3, {"container": "array", "source": "list", "typecode": tc, "values": v,
                              "n": n}
            if np is None:
                continue
            for dt in DTYPES:
                for v in SOURCE_VALUES:
                    if v["kind"] == "float_range" and not dt.startswith("float"):
                        continue
                    if dt in mc.DTYPE_LIMITS and not fits(v, n, mc.DTYPE_LIMITS[dt]):
                        continue
                    yield 3, {"container": "ndarray", "source": "list", "dtype": dt, "values": v,
                              "n": n}
    if 4 in items and np is not None:
        for n, shapes in SHAPES:
            if big(n):
                continue
            for shape in shapes:
                for dt in SHAPE_DTYPES:
                    for v in SHAPE_VALUES:
                        if dt in mc.DTYPE_LIMITS and not fits(v, n, mc.DTYPE_LIMITS[dt]):
                            continue
                        yield 4, {"container": "ndarray", "dtype": dt, "values": v, "n": n,
                                  "shape": shape}
    if 5 in items and np is not None:
        for n in VIEW_NS:
            for dt in VIEW_DTYPES:
                for v in VIEW_VALUES:
                    if dt in mc.DTYPE_LIMITS and not fits(v, n, mc.DTYPE_LIMITS[dt]):
                        continue
                    for k in VIEW_STEPS:
                        yield 5, {"container": "ndarray", "dtype": dt, "values": v, "n": n,
                                  "view": {"step": k}}


def jsonable(s):
    out = mc.jsonable(s)
    v = out["values"]
    if isinstance(v.get("base"), int) and abs(v["base"]) > 2**53 - 1:
        v["base"] = str(v["base"])
    return out


def main(quick=False, progress=None, items=(1, 2, 3, 4, 5), recorded_with=None):
    records = []
    counts = {}
    for item, s in scenarios(quick, set(items)):
        rec = measure(s)
        rec["scenario"] = jsonable(s)
        records.append(rec)
        counts[item] = counts.get(item, 0) + 1
        if progress is not None and len(records) % 100 == 0:
            progress(len(records))
    return mc.dump({
        "profile": PROFILE,
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": sys.platform,
        "machine": platform.machine(),
        "numpy": np.__version__ if np is not None else None,
        "harness": "setup(n) if any, untraced; build(n) once, untimed; x = None; setup(n) again, "
                   "kept; gc.collect(); tracemalloc.start(); x = build(n); gc.collect(); traced delta",
        "recordedWith": recorded_with,
        "recordsByItem": {"%d" % k: counts[k] for k in sorted(counts)},
        "records": records,
    })


if __name__ == "__main__":
    import argparse
    import time

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true", help="skip n = 10**6")
    ap.add_argument("--item", action="append", type=int, choices=[1, 2, 3, 4, 5],
                    help="record only this item of issue 13 (repeatable)")
    ap.add_argument("--recorded-with", help="how this interpreter was obtained and run")
    a = ap.parse_args()
    t0 = time.time()
    text = main(a.quick, progress=lambda k: print("  %d scenarios" % k, file=sys.stderr),
                items=a.item or (1, 2, 3, 4, 5), recorded_with=a.recorded_with)
    d = os.path.dirname(a.out)
    if d and not os.path.isdir(d):
        os.makedirs(d)
    with open(a.out, "w") as f:
        f.write(text + "\n")
    print("%s: %d records -> %s (%.0f s)" % (PROFILE, text.count('"tracemalloc"'), a.out,
                                             time.time() - t0))
