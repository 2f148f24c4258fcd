"""api/openapi.yaml and the server's route table must describe the same routes."""
import glob
import importlib.machinery
import importlib.util
import json
import os
import re
import subprocess

import pytest
import yaml

import contract
from conftest import SOURCE_DIR, run_cli


def _load_gen_docs():
    path = os.path.join(SOURCE_DIR, "scripts", "gen-api-docs")
    loader = importlib.machinery.SourceFileLoader("gen_api_docs", path)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


gen_docs = _load_gen_docs()


def spec():
    with open(os.path.join(SOURCE_DIR, "api", "openapi.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_every_route_is_in_the_spec_and_back():
    served = set()
    for line in run_cli("routes").stdout.splitlines():
        method, path = line.split()
        served.add((method.lower(), path))
    documented = set()
    for path, ops in spec()["paths"].items():
        for method in ops:
            if method in ("get", "post", "put", "patch", "delete"):
                documented.add((method, path))
    assert served - documented == set(), "routes missing from api/openapi.yaml"
    assert documented - served == set(), "api/openapi.yaml documents routes the server lacks"


def test_every_operation_documents_its_errors():
    doc = spec()
    assert doc["openapi"].startswith("3.")
    # A code whose line says "internal" never reaches a client (the engine handles it).
    codes_in_c = set(re.findall(r'XX\(\w+, "(\w+)", \d+\)(?![^\n]*internal)',
                                open(os.path.join(SOURCE_DIR, "src/base/err.h")).read()))
    enum = set(doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
               ["code"]["enum"])
    assert enum == codes_in_c - {"ok"}, "Error.code enum out of step with SW_ERR_MAP"
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op.get("operationId"), (method, path)
            assert "responses" in op and any(c.startswith("2") for c in map(str, op["responses"]))


def test_every_operation_lists_its_statuses_with_their_codes():
    """No catch-all `default`: the response validation checks each status against the
    operation's list, and each error response names the codes it can carry."""
    doc = spec()
    declared_tags = {t["name"] for t in doc["tags"]}
    codes = contract.Contract().raw
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            where = f"{method} {path}"
            assert op.get("summary"), where
            assert set(op.get("tags", [])) <= declared_tags and op.get("tags"), where
            assert "default" not in op["responses"], where
            for status, resp in op["responses"].items():
                if int(status) >= 400 and "application/json" in json_content(codes, resp):
                    assert gen_docs.code_enum(codes, resp), (where, status)


def json_content(doc, resp):
    if "$ref" in resp:
        resp = gen_docs.resolve(doc, resp["$ref"])
    return resp.get("content", {})


def test_docs_list_every_error_code_and_event_type_as_the_spec_and_err_h_say():
    """docs/api.md's error and event tables are what scripts/gen-api-docs makes of err.h and
    the spec, and every err.h code a client can get is in an error response of its status."""
    p = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "gen-api-docs"), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_every_event_type_the_domain_emits_is_declared():
    """Event types are the dotted names in src/domain that are not command names (commands
    are registered with sw_engine_register or a {"name", fn} table row); each must be in the
    Event discriminator, and each declared type must still exist in the code."""
    src = ""
    for f in glob.glob(os.path.join(SOURCE_DIR, "src", "domain", "**", "*.c"), recursive=True):
        with open(f, encoding="utf-8") as fh:
            src += fh.read()
    names = set(re.findall(r'"([a-z_]+\.[a-z_]+)"', src))
    commands = set(re.findall(r'sw_engine_register\(\w+,\s*"([a-z_.]+)"', src)) | \
        set(re.findall(r'\{"([a-z_]+\.[a-z_]+)",\s*\w+\}', src))
    declared = set(spec()["components"]["schemas"]["Event"]["discriminator"]["mapping"])
    emitted = names - commands
    assert emitted - declared == set(), "event types missing from api/openapi.yaml"
    assert declared - names == set(), "api/openapi.yaml declares event types no code emits"
    one_of = {s["$ref"] for s in spec()["components"]["schemas"]["Event"]["oneOf"]}
    assert one_of == set(spec()["components"]["schemas"]["Event"]["discriminator"]["mapping"]
                         .values())


ENVELOPE = {"error": {"code": "not_found", "message": "unknown product 'p9'", "details": {}}}
EVENT = {"seq": 1, "at": "2026-01-05T01:00:00Z", "type": "key.created", "merchant": None,
         "subject": "k1", "payload": {"id": "k1", "role": "operator"}, "policy_version": "1",
         "command_seq": 1}


@pytest.mark.parametrize("method,path,status,ctype,body,expect", [
    ("GET", "/v1/products/p9", 404, "application/json", ENVELOPE, None),
    ("GET", "/v1/products/p9", 418, "application/json", ENVELOPE, "status 418 is not declared"),
    ("GET", "/v1/products/p9", 404, "text/html", "<html>", "non-JSON body"),
    ("GET", "/v1/products/p9", 404, "application/json",
     {"error": {"code": "state_conflict", "message": "m", "details": {}}}, "$.error.code"),
    ("GET", "/v1/products/p9", 404, "application/json", {"error": {"code": "not_found"}},
     "'message' is a required property"),
    ("GET", "/v1/nowhere", 404, "application/json",
     {"error": {"code": "route_not_found", "message": "m", "details": {}}}, None),
    ("GET", "/v1/nowhere", 200, "application/json", {}, "no operation of the spec takes"),
    ("GET", "/v1/events", 200, "application/json", {"events": [EVENT], "next_after": None, "has_more": False}, None),
    ("GET", "/v1/events", 200, "application/json",
     {"events": [dict(EVENT, type="key.lost")], "next_after": None, "has_more": False}, "$.events[0].type: type 'key.lost' is not"),
    ("GET", "/v1/events", 200, "application/json",
     {"events": [dict(EVENT, payload={"id": "k1", "role": "x", "secret": "s"})],
      "next_after": None, "has_more": False},
     "$.events[0].payload: Additional properties"),
    ("GET", "/v1/merchants/m1", 200, "application/json", {"id": "m1"}, "is a required property"),
    ("GET", "/v1/events", 200, "application/json",
     {"events": [dict(EVENT, at="2026-01-05T09:00:00+08:00")], "next_after": None,
      "has_more": False}, "is not a 'date-time'"),
])
def test_the_response_validation_catches_drift(method, path, status, ctype, body, expect):
    """The checker the whole suite runs through: a matching answer passes, and each kind of
    drift (status, media type, code for the status, envelope, undeclared event type, payload
    field, missing field, an instant not in UTC) is reported with its JSON path."""
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    problems = contract.Contract().check(method, "http://h" + path, status, ctype, raw)
    if expect is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expect in problems[0], problems
