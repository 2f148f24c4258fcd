"""The content scanner through `shopwarden scan`: the development set from ../shared/data and
our own cases in tests/data/scan (every rule, its disguises and its false-positive traps)."""
import collections
import glob
import json
import os
import tempfile

import pytest

from conftest import SOURCE_DIR, check_policy, default_policy, run_cli

TYPES = ["exaggerated_efficacy", "false_advertising", "external_diversion",
         "key_info_inconsistent", "three_no_product"]
OUR_SETS = sorted(glob.glob(os.path.join(SOURCE_DIR, "tests/data/scan/*.jsonl")))
DEV_SET = os.path.join(SOURCE_DIR, "..", "shared", "data", "scan-dev.jsonl")
SETS = OUR_SETS + ([DEV_SET] if os.path.exists(DEV_SET) else [])


def scan_file(path):
    p = run_cli("scan", path, check=False)
    assert p.returncode == 0, p.stdout + p.stderr
    return [json.loads(line) for line in p.stdout.splitlines()]


def listings(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.mark.parametrize("path", SETS, ids=os.path.basename)
def test_each_listing_gets_exactly_its_expected_types(path):
    want = listings(path)
    got = scan_file(path)
    assert [g["id"] for g in got] == [w["id"] for w in want]
    wrong = []
    for w, g in zip(want, got):
        types = sorted({f["type"] for f in g["findings"]})
        if types != sorted(set(w["expect"])):
            wrong.append((w["id"], types, w["expect"]))
        if "severity" in w:
            sev = {f["severity"] for f in g["findings"] if f["type"] in w["expect"]}
            assert w["severity"] in sev, (w["id"], sev)
    assert not wrong, wrong


def test_precision_and_recall_per_type_over_all_sets():
    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    for path in SETS:
        for w, g in zip(listings(path), scan_file(path)):
            got = {f["type"] for f in g["findings"]}
            for t in TYPES:
                tp[t] += t in got and t in w["expect"]
                fp[t] += t in got and t not in w["expect"]
                fn[t] += t not in got and t in w["expect"]
    for t in TYPES:
        assert tp[t] > 0, t
        assert tp[t] / (tp[t] + fp[t]) >= 0.95, (t, tp[t], fp[t])
        assert tp[t] / (tp[t] + fn[t]) >= 0.95, (t, tp[t], fn[t])


def test_findings_point_into_the_original_text():
    for path in SETS:
        for w, g in zip(listings(path), scan_file(path)):
            for f in g["findings"]:
                assert f["rule"] and f["policy_version"].startswith("default-")
                assert f["severity"] in ("minor", "severe")
                if f["field"] in ("title", "short_title", "detail"):
                    text = w[f["field"]]
                    assert 0 <= f["start"] < f["end"] <= len(text)
                    assert text[f["start"]:f["end"]] == f["excerpt"], (w["id"], f)


def test_offsets_count_characters_across_disguises():
    line = {"id": "x", "category": "food.snacks", "title": "坚果", "brand": "b", "price": 100,
            "production_date": "2026-01-01", "quality_cert": "q", "manufacturer": "m",
            "detail": "好吃😀不贵,微\u200b信：ａｂｃ_１２３４５ 见"}
    out = run_cli("scan", "-", input=json.dumps(line, ensure_ascii=False) + "\n").stdout
    (f,) = json.loads(out)["findings"]
    assert f["rule"] == "diversion.wechat"
    assert f["excerpt"] == "微\u200b信：ａｂｃ_１２３４５"
    assert (f["start"], f["end"]) == (6, 19)
    assert f["evidence"] == "abc12345"


def test_bad_lines_get_an_error_line_and_the_run_goes_on():
    good = {"id": "g", "category": "food.snacks", "title": "坚果", "detail": "加微信 abcdef1"}
    text = "\n".join([
        json.dumps(good, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "t", "title": 5}),
        json.dumps({"id": "i", "title": "x", "images": ["/nonexistent.png"]}),
        json.dumps({"id": "n", "title": "x", "images": [
            os.path.join(SOURCE_DIR, "tests/data/scan/images/not-an-image.png")]}),
        json.dumps({"id": "p", "title": "x", "price": "12.00"}),
        "",
        json.dumps(good, ensure_ascii=False),
    ]) + "\n"
    p = run_cli("scan", input=text, check=False)
    assert p.returncode == 1
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(rows) == 7
    assert rows[0]["id"] == "g" and rows[0]["findings"]
    assert rows[1]["line"] == 2 and rows[1]["error"]["code"] == "invalid_json"
    assert rows[2]["error"] == {"code": "wrong_type", "message": "title must be a string",
                                "field": "title"}
    assert rows[3]["id"] == "i" and rows[3]["error"]["code"] == "not_found"
    assert rows[4]["id"] == "n" and rows[4]["error"]["code"] == "invalid_value"
    assert rows[5]["error"]["field"] == "price"
    assert rows[6]["id"] == "g" and rows[6]["findings"]


def test_scan_with_another_policy_and_pretty_output():
    pol = default_policy()
    pol["version"] = "strict-1"
    # a claim word allowed in one category and banned in another, by policy
    pol["scan"]["lists"].append({"rule": "house.no_bargains", "type": "false_advertising",
                                 "severity": "severe", "categories": ["home.*"],
                                 "terms": ["白菜价"]})
    with tempfile.TemporaryDirectory() as tmp:
        pp = os.path.join(tmp, "p.json")
        with open(pp, "w", encoding="utf-8") as f:
            json.dump(pol, f, ensure_ascii=False)
        lines = [{"id": "home", "category": "home.kitchen", "title": "锅", "detail": "白菜價",
                  "production_date": "d", "quality_cert": "q", "manufacturer": "m"},
                 {"id": "food", "category": "food.snacks", "title": "饼", "detail": "白菜价",
                  "production_date": "d", "quality_cert": "q", "manufacturer": "m"}]
        src = os.path.join(tmp, "in.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            f.write("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
        out = run_cli("scan", "--policy", pp, src).stdout.splitlines()
        home, food = (json.loads(x) for x in out)
        assert [(f["rule"], f["severity"], f["policy_version"], f["excerpt"])
                for f in home["findings"]] == [("house.no_bargains", "severe", "strict-1", "白菜價")]
        assert food["findings"] == []
        pretty = run_cli("scan", "--pretty", src, "--policy", pp).stdout
        assert pretty.startswith("{\n")


def test_policy_check_reports_scan_problems_with_paths():
    pol = default_policy()
    pol["scan"]["lists"][0]["severity"] = "awful"
    pol["scan"]["lists"][1]["terms"].append(" . ")
    pol["scan"]["diversion"]["url"]["tlds"].append("COM")
    del pol["scan"]["three_no"]
    bad = check_policy(pol)
    assert bad.returncode == 1
    assert "$.scan.lists[0]: severity must be 'minor' or 'severe'" in bad.stdout
    assert "is nothing but separators once normalised" in bad.stdout
    assert "$.scan.diversion.url.tlds: tlds[" in bad.stdout
    assert "$.scan.three_no: missing field" in bad.stdout


def test_policy_check_reports_image_budgets_out_of_range():
    pol = default_policy()
    assert pol["scan"]["max_image_pixels"] == 16000000
    assert pol["scan"]["max_request_pixels"] == 40000000
    pol["scan"]["max_image_pixels"] = 0
    pol["scan"]["max_request_pixels"] = "many"
    bad = check_policy(pol)
    assert bad.returncode == 1
    assert "$.scan.max_image_pixels: must be between 1 and 40000000" in bad.stdout
    assert "$.scan.max_request_pixels" in bad.stdout
