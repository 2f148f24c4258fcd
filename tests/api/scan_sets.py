"""Labelled listing sets for the scanner and their per-type score.

A set is a JSON-lines file; each line is a listing in the product API's fields plus "expect"
(the violation types it must get) and "reason" (why; sometimes "severity"). The harness strips
those keys before the scanner sees the line, and turns the old shape of the shared development
set (price/freight as integer fen) into the product API's (price_fen/freight_fen).

Run as a script to print the table: python3 tests/api/scan_sets.py [BIN] [FILE...]
"""
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

TYPES = ["exaggerated_efficacy", "false_advertising", "external_diversion",
         "key_info_inconsistent", "three_no_product"]
LABEL_KEYS = ("expect", "reason", "severity")
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("SW_SOURCE_DIR") or os.path.join(HERE, "..", "..")


def set_paths():
    """Every set, by name: the project's own (tests/data/scan/*.jsonl), the training corpus
    (tests/data/scan/train/*.jsonl, one set), every held-out corpus already scored (a
    folder of its own: holdout, holdout2, ...) and the shared development set when present."""
    data = os.path.join(SOURCE, "tests", "data", "scan")
    sets = {os.path.basename(p): [p] for p in sorted(glob.glob(os.path.join(data, "*.jsonl")))}
    # the training corpus and the held-out corpora once scored (seen since: regression sets):
    # every folder of tests/data/scan holding labelled lines, in their numbers' order
    def number(name):
        stem = name.rstrip("0123456789")
        return (stem, int(name[len(stem):] or 0))
    for name in sorted(os.listdir(data), key=number):
        files = sorted(glob.glob(os.path.join(data, name, "*.jsonl")))
        if os.path.isdir(os.path.join(data, name)) and files:
            sets[name] = files
    dev = os.path.join(SOURCE, "..", "shared", "data", "scan-dev.jsonl")
    if not os.path.exists(dev):
        dev = "/work/shared/data/scan-dev.jsonl"
    if os.path.exists(dev):
        sets["dev"] = [dev]
    return sets


def listings(path):
    """The labelled lines of one file, in the product API's shape (labels kept)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            for old in ("price", "freight"):  # the shared dev set's shape: integer fen
                if isinstance(d.get(old), int):
                    d[old + "_fen"] = d.pop(old)
            imgs = d.get("images")
            if isinstance(imgs, list):  # relative to the set's folder
                d["images"] = [i if os.path.isabs(i) else
                               os.path.join(os.path.dirname(os.path.abspath(path)), i)
                               for i in imgs]
            out.append(d)
    return out


def scanner_input(d):
    d = {k: v for k, v in d.items() if k not in LABEL_KEYS}
    if os.environ.get("SW_SCAN_OLD_SHAPE"):  # to score a build from before the product shape
        for k in ("price", "freight"):
            if k + "_fen" in d:
                d[k] = d.pop(k + "_fen")
    return d


def scan(bin_path, rows, args=()):
    """Runs `shopwarden scan` over rows (labels stripped); one result per row."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8",
                                     delete=False) as f:
        for d in rows:
            f.write(json.dumps(scanner_input(d), ensure_ascii=False) + "\n")
        name = f.name
    try:
        p = subprocess.run([bin_path, "scan", *args, name], capture_output=True, text=True,
                           timeout=600)
    finally:
        os.unlink(name)
    got = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(got) == len(rows), p.stderr
    return got


def score(rows, got):
    """Per type: tp, fp, fn, precision, recall (None when there is nothing to divide)."""
    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    for w, g in zip(rows, got):
        types = {f["type"] for f in g.get("findings", [])}
        for t in TYPES:
            tp[t] += t in types and t in w["expect"]
            fp[t] += t in types and t not in w["expect"]
            fn[t] += t not in types and t in w["expect"]
    res = {}
    for t in TYPES:
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else None
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else None
        res[t] = {"tp": tp[t], "fp": fp[t], "fn": fn[t], "precision": p, "recall": r}
    return res


def fmt(x):
    return "  -  " if x is None else f"{x:.2f}"


def table(name, n, res):
    lines = [f"{name} ({n} listings)"]
    for t, r in res.items():
        lines.append(f"  {t:24s} P {fmt(r['precision'])}  R {fmt(r['recall'])}"
                     f"  (tp {r['tp']} fp {r['fp']} fn {r['fn']})")
    return "\n".join(lines)


def main(argv):
    bin_path = argv[1] if len(argv) > 1 else os.environ.get("SW_BIN", "build/shopwarden")
    sets = set_paths() if len(argv) <= 2 else {os.path.basename(p): [p] for p in argv[2:]}
    verbose = os.environ.get("VERBOSE")
    for name, paths in sets.items():
        rows = [d for p in paths for d in listings(p)]
        got = scan(bin_path, rows)
        print(table(name, len(rows), score(rows, got)))
        if verbose:
            for w, g in zip(rows, got):
                types = sorted({f["type"] for f in g.get("findings", [])})
                if "error" in g or types != sorted(set(w["expect"])):
                    print("   MISS", w["id"], "got", types, g.get("error", ""), "want",
                          w["expect"], "|", w.get("reason", ""))
                    if verbose == "2":
                        for f in g.get("findings", []):
                            print("        ", f["type"], f["rule"], f["excerpt"], "|",
                                  f["evidence"])


if __name__ == "__main__":
    main(sys.argv)
