#!/usr/bin/env python3
"""Peer: Debian's python3-ahocorasick (pyahocorasick) on the scanner benchmark's corpus.
   peer_ahocorasick.py CORPUS.jsonl TERMS.txt NTERMS [SECONDS]
Matches the first NTERMS terms in title, short_title and detail of every listing (all
matches, overlapping ones too), no normalisation; prints one JSON line like scan_bench."""
import json
import sys
import time

import ahocorasick


def main():
    corpus, terms_path, nterms = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0
    with open(terms_path, encoding="utf-8") as f:
        terms = [t.strip() for t in f if t.strip()][:nterms]
    texts, nbytes, listings = [], 0, 0
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            listings += 1
            for k in ("title", "short_title", "detail"):
                t = d.get(k) or ""
                texts.append(t)
                nbytes += len(t.encode("utf-8"))
    t0 = time.perf_counter()
    a = ahocorasick.Automaton()
    for i, t in enumerate(terms):
        a.add_word(t, i)
    a.make_automaton()
    build_ms = (time.perf_counter() - t0) * 1e3
    matches, passes = 0, 0
    t0 = time.perf_counter()
    while True:
        for t in texts:
            for _ in a.iter(t):
                matches += 1
        passes += 1
        el = time.perf_counter() - t0
        if el >= seconds:
            break
    print(json.dumps({"engine": "pyahocorasick 1.4 (python3-ahocorasick)", "terms": nterms,
                      "mb_s": round(passes * nbytes / el / 1e6, 1),
                      "listings_s": round(passes * listings / el), "build_ms": round(build_ms),
                      "matches": matches}))


if __name__ == "__main__":
    main()
