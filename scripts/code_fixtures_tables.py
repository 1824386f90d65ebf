"""Tables for tests/fixtures/code/README.md, computed from the recorded files (issue 13).

    python3 scripts/code_fixtures_tables.py > /tmp/tables.md

Prints Markdown: record counts per profile and item; list-display capacities; int_offset bytes per
element (tracemalloc vs sys.getsizeof); list(src) capacities and the traced-minus-getsizeof of the
containers built from a list; ndarray shapes and views.
"""

import glob
import json
import os
import sys
from collections import defaultdict

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "code")
ORDER = ["cpython-3.8", "cpython-3.9", "cpython-3.10", "cpython-3.11", "cpython-3.12",
         "cpython-3.13", "cpython-3.14", "cpython-3.15", "wasm32-3.13", "wasm32-3.14"]


def load():
    docs = {}
    for path in glob.glob(os.path.join(HERE, "*.json")):
        with open(path) as f:
            d = json.load(f)
        docs[d["profile"]] = d
    return [(p, docs[p]) for p in ORDER if p in docs]


def item_of(s):
    if s["container"] == "list_literal":
        return 1
    if s.get("source") == "list":
        return 3
    if "shape" in s:
        return 4
    if "view" in s:
        return 5
    return 2


def ptr(doc):
    return 4 if doc["profile"].startswith("wasm32") else 8


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def vkey(v):
    return json.dumps(v, sort_keys=True)


def big(v):
    return int(v) if isinstance(v, str) else v


def main():
    docs = load()
    if not docs:
        sys.exit("no fixtures in " + HERE)
    profiles = [p for p, _ in docs]
    out = []

    # counts
    rows = []
    for p, d in docs:
        c = defaultdict(int)
        for r in d["records"]:
            c[item_of(r["scenario"])] += 1
        rows.append([p, d["python"], d.get("numpy") or "none"] + [c[i] for i in (1, 2, 3, 4, 5)]
                    + [len(d["records"])])
    out.append("### Records per profile and item\n")
    out.append(table(["profile", "Python", "NumPy", "1 list_literal", "2 int_offset",
                      "3 source list", "4 shape", "5 view", "total"], rows))
    out.append("\nItem 1 counts every list_literal record, int_offset displays included; item 2 "
               "counts int_offset with the other list and tuple containers.\n")

    # 1. list displays
    CONST = vkey({"kind": "constant", "value": 7})
    COMPUTED = vkey({"kind": "int_offset", "base": 2**40, "start": 0})
    cap = defaultdict(dict)   # (n) -> profile -> (const cap, computed cap)
    agree = []
    for p, d in docs:
        w = ptr(d)
        empty = None
        by = defaultdict(dict)
        for r in d["records"]:
            s = r["scenario"]
            if s["container"] != "list_literal":
                continue
            if s["n"] == 0:
                empty = r["getsizeofContainer"]
            v = dict(s["values"])
            if "base" in v:
                v["base"] = big(v["base"])
            by[s["n"]][vkey(v)] = r
        for n, recs in by.items():
            k = lambda key: (recs[key]["getsizeofContainer"] - empty) // w
            cap[n][p] = (k(CONST), k(COMPUTED))
            consts = {(recs[key]["getsizeofContainer"] - empty) // w for key in recs
                      if '"int_offset"' not in key}
            comps = {(recs[key]["getsizeofContainer"] - empty) // w for key in recs
                     if '"int_offset"' in key}
            if len(consts) > 1 or len(comps) > 1:
                agree.append("%s n=%d: constant-valued displays %s, computed %s" % (
                    p, n, sorted(consts), sorted(comps)))
            for key, r in recs.items():
                if '"int_offset"' not in key and r["tracemalloc"] != r["getsizeofContainer"]:
                    agree.append("%s n=%d %s: tracemalloc %d != getsizeof %d" % (
                        p, n, key, r["tracemalloc"], r["getsizeofContainer"]))
    out.append("### list_literal: slots allocated (capacity) for a display of n items\n")
    out.append("Each cell: constant items (`[7, 7, …]`) / computed items (`[b + 0, b + 1, …]`, "
               "b = 2**40). Capacity = (getsizeof(x) − getsizeof([])) / pointer size.\n")
    ns = sorted(cap)
    out.append(table(["n"] + profiles,
                     [[n] + ["%d / %d" % cap[n][p] if p in cap[n] else "" for p in profiles]
                      for n in ns]))
    out.append("")
    if agree:
        out.append("Exceptions (displays of the same kind that differ, or constant displays whose "
                   "tracemalloc is not getsizeof):\n")
        out += ["- " + a for a in agree]
    else:
        out.append("All constant-valued displays (int_range, float_range, int_mod, constant) of one "
                   "n get the same capacity on each profile, all computed ones (int_offset, any "
                   "base) another, and for constant-valued displays tracemalloc = getsizeof(x) "
                   "(the items are code constants).")
    out.append("")

    # 2. int_offset per element: n = 1 list_repeat gives the first element alone; n = 1000
    # list_comprehension gives the average over base + start … base + start + 999.
    out.append("### int_offset: bytes per element object, tracemalloc vs sys.getsizeof\n")
    avg = defaultdict(dict)
    bases = []
    for p, d in docs:
        for r in d["records"]:
            s = r["scenario"]
            v = s["values"]
            if v["kind"] != "int_offset" or s["container"] != "list_comprehension":
                continue
            key = (big(v["base"]), v["start"])
            if key not in bases:
                bases.append(key)
            if s["n"] == 1000:
                avg[key][p] = "%.2f / %.2f" % ((r["tracemalloc"] - r["getsizeofContainer"]) / 1000.0,
                                               r["getsizeofElements"] / float(r["elementsDistinct"]))

    def bname(b, st):
        names = {2**40: "2**40", 2**30 - 500: "2**30-500", -(2**40): "-(2**40)", 2**60: "2**60",
                 2**30 - 1: "2**30-1", -(2**30): "-(2**30)"}
        return "%s, %d" % (names.get(b, str(b)), st)

    # Per element class: element k's cost is the difference between list comprehensions of
    # k+1 and k elements (traced − getsizeof(x), and getsizeofElements).
    comp = defaultdict(dict)
    for p, d in docs:
        for r in d["records"]:
            s = r["scenario"]
            v = s["values"]
            if v["kind"] == "int_offset" and s["container"] == "list_comprehension":
                comp[p][(big(v["base"]), v["start"], s["n"])] = (
                    r["tracemalloc"] - r["getsizeofContainer"], r["getsizeofElements"])
    CLASSES = [
        ("`(2**30 - 500) + 0`: both operands 1 digit, 1-digit result", 2**30 - 500, 0, 0, 1),
        ("`(2**30 - 1) + 1`: both operands 1 digit, 2-digit result", 2**30 - 1, 0, 1, 2),
        ("`2**40 + i`: x_add, 2-digit + 1-digit, 3 digits allocated, 2-digit result", 2**40, 0, 0, 1),
        ("`2**60 + i`, i = 7 … 89: x_add, 4 allocated, 3-digit result", 2**60, -10, 17, 100),
        ("`-(2**40) + i`: x_sub, 2 allocated, 2-digit result", -(2**40), 0, 0, 1),
        ("`2**60 + -10`: x_sub, 3 allocated, 2-digit result", 2**60, -10, 0, 1),
        ("`-(2**30) + 0`: x_sub, 2 allocated, 2-digit result", -(2**30), 0, 0, 1),
        ("`-(2**30) + 1`: x_sub, 2 allocated, 1-digit result", -(2**30), 0, 1, 2),
        ("`0 + 0`: the small-int cache", 0, 0, 0, 1),
    ]
    rows = []
    for label, b, st, lo, hi in CLASSES:
        row = [label]
        for p in profiles:
            a, z = comp[p].get((b, st, lo)), comp[p].get((b, st, hi))
            if a is None or z is None:
                row.append("")
                continue
            k = float(hi - lo)
            row.append(("%g / %g") % ((z[0] - a[0]) / k, (z[1] - a[1]) / k))
        rows.append(row)
    out.append("Per element, traced / getsizeof (element k = list comprehension of k + 1 "
               "elements minus that of k):\n")
    out.append(table(["element"] + profiles, rows))
    out.append("\nAverage over the 1000 elements of `[b + i for i in range(START, START + 1000)]`: "
               "(tracemalloc − getsizeof(x)) / 1000 / (getsizeofElements / elementsDistinct); "
               "small ints cost 0 traced:\n")
    out.append(table(["base, start"] + profiles,
                     [[bname(*k)] + [avg[k].get(p, "") for p in profiles] for k in bases]))
    out.append("")

    # 3. source list
    out.append("### source list: capacity of `list(src)` (slots)\n")
    lcap = defaultdict(dict)
    diffs = defaultdict(lambda: defaultdict(set))
    for p, d in docs:
        w = ptr(d)
        empty = {}
        for r in d["records"]:
            s = r["scenario"]
            if s.get("source") != "list":
                continue
            c = s["container"]
            if c == "list_range":
                if s["n"] == 0:
                    empty[p] = r["getsizeofContainer"]
        for r in d["records"]:
            s = r["scenario"]
            if s.get("source") != "list":
                continue
            c = s["container"]
            if c == "list_range" and s["values"] == {"kind": "int_range", "start": 0}:
                lcap[s["n"]][p] = (r["getsizeofContainer"] - empty[p]) // w
            label = c if c in ("list_range", "tuple") else c + (" " + (s.get("typecode") or s.get("dtype")) if False else "")
            diffs[label][p].add(r["tracemalloc"] - r["getsizeofContainer"])
    out.append(table(["n"] + profiles,
                     [[n] + [lcap[n].get(p, "") for p in profiles] for n in sorted(lcap)]))
    out.append("\ntracemalloc − getsizeof(x) over all source-list records (elements are src's, "
               "never traced), distinct values:\n")
    out.append(table(["container"] + profiles,
                     [[c] + [", ".join(str(x) for x in sorted(diffs[c][p])) if p in diffs[c] else ""
                             for p in profiles] for c in ("list_range", "tuple", "array", "ndarray")]))
    TC = {"b": 1, "B": 1, "h": 2, "H": 2, "i": 4, "I": 4, "q": 8, "Q": 8, "f": 4, "d": 8}
    DT = {"bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "float16": 2, "int32": 4,
          "uint32": 4, "float32": 4, "int64": 8, "uint64": 8, "float64": 8}
    heads = defaultdict(lambda: defaultdict(set))
    for p, d in docs:
        w = ptr(d)
        for r in d["records"]:
            s = r["scenario"]
            if s.get("source") != "list" or s["container"] == "list_range":
                continue
            c = s["container"]
            size = (w if c == "tuple" else TC.get(s.get("typecode"), w) if c == "array"
                    else DT[s["dtype"]])
            heads[c][p].add(r["getsizeofContainer"] - size * s["n"])
    out.append("\ngetsizeof(x) − n × item size (tuple: pointer; array: typecode's size, l/L = C "
               "long; ndarray: dtype's), distinct values:\n")
    out.append(table(["container"] + profiles,
                     [[c] + [", ".join(str(x) for x in sorted(heads[c][p])) if p in heads[c] else ""
                             for p in profiles] for c in ("tuple", "array", "ndarray")]))
    out.append("")

    # 4/5 shapes and views: check getsizeof = H + 16*ndim (a view owns no data) and
    # tracemalloc = 2T + max(nbytes, 1) (the base array's header and buffer, the view's header;
    # dimensions and strides come from NumPy's cache of small blocks), T = a view's traced bytes.
    np_profiles = [p for p, d in docs if any(item_of(r["scenario"]) == 4 for r in d["records"])]
    if np_profiles:
        ITEM = {"bool": 1, "uint8": 1, "int32": 4, "float32": 4, "int64": 8, "float64": 8}
        out.append("### ndarray shape and view: getsizeof / tracemalloc\n")
        out.append("`x = np.arange(0, 0 + n, dtype=np.int64).reshape(shape)` (the other dtypes and "
                   "np.zeros differ only by the buffer, nbytes = n × itemsize):\n")
        rows = defaultdict(dict)
        keys = []
        check = defaultdict(lambda: [0, 0, []])
        for p, d in docs:
            T = None
            for r in d["records"]:
                if "view" in r["scenario"]:
                    T = r["tracemalloc"]
                    break
            for r in d["records"]:
                s = r["scenario"]
                if "shape" not in s and "view" not in s:
                    continue
                if "shape" in s:
                    nd = len(s["shape"])
                    want = (T + 16 * nd, 2 * T + max(s["n"] * ITEM[s["dtype"]], 1))
                else:
                    want = (T + 16, T)
                got = (r["getsizeofContainer"], r["tracemalloc"])
                c = check[p]
                c[0] += 1
                if got == want:
                    c[1] += 1
                else:
                    c[2].append("%s %s: %s, rule %s" % (s.get("shape") or s.get("view"), s["n"], got, want))
                if "shape" in s and s["dtype"] == "int64" and s["values"]["kind"] == "int_range":
                    k = (s["n"], tuple(s["shape"]))
                    if k not in keys:
                        keys.append(k)
                    rows[k][p] = "%d / %d" % got
        keys.sort(key=lambda k: (k[0], len(k[1]), k[1]))
        out.append(table(["n", "shape"] + np_profiles,
                         [[k[0], list(k[1])] + [rows[k].get(p, "") for p in np_profiles]
                          for k in keys]))
        out.append("\nRule check over every shape and view record, T = a view's traced bytes: "
                   "shape: getsizeof = T + 16·ndim, tracemalloc = 2T + max(nbytes, 1); view "
                   "`base[::k]` (any k, n, dtype): getsizeof = T + 16, tracemalloc = T.\n")
        out.append(table(["profile", "T", "records", "follow the rule", "exceptions"],
                         [[p, next(r["tracemalloc"] for r in d["records"] if "view" in r["scenario"]),
                           check[p][0], check[p][1], "; ".join(check[p][2][:5]) or "none"]
                          for p, d in docs if p in np_profiles]))
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
