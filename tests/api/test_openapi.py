"""api/openapi.yaml and the server's route table must describe the same routes."""
import os
import re

import yaml

from conftest import SOURCE_DIR, run_cli


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
