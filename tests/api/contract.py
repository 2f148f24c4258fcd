"""Every answer the black-box suite receives is checked against api/openapi.yaml.

conftest.py routes each response through check() (requests) or check_raw() (raw sockets);
a mismatch is recorded and fails the test that received it, naming the operation, the
status and the JSON path of the mismatch.

The rules:
- The request's path is matched against the spec's path templates (literal segments before
  `{param}` ones, as the server's router does) and its method against that path's operations.
- The status must be a key of the operation's `responses` (or its `NXX` range); `default`
  counts only where the spec declares one.
- A JSON body must validate against the schema declared for that status under
  `application/json` (JSON Schema draft 4, which OpenAPI 3.0 extends; `nullable: true` is
  rewritten as `anyOf [schema, null]`; a oneOf with a `discriminator` validates against the
  branch its mapping names, as OpenAPI says). `date-time` values must be RFC 3339 in UTC
  (`...Z`), as the spec's description promises, and `date` values full dates. A response declared without JSON content must not
  answer JSON, and one declared with only JSON content must answer JSON (or nothing, for HEAD).
- A request that reaches no operation (an unknown path, a method the path lacks, or a request
  refused before routing) must be answered with the Error envelope and one of UNROUTED.
"""
import copy
import json
import os
import re
import urllib.parse
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft4Validator, FormatChecker, RefResolver, validators
from jsonschema.exceptions import ValidationError, best_match

SPEC_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "api", "openapi.yaml")
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")

# Answers given before (or instead of) an operation, as api/openapi.yaml's description says:
# the router's 404 route_not_found and 405 method_not_allowed, and what the HTTP layer refuses
# before it looks for a route (a malformed request 400, a body over the limit 413, a long path
# 414, a long head 431, an unsupported HTTP version 505, a connection past the connection caps
# 503 busy). The spec cannot attach these to a path; their body is the Error envelope all the
# same. PRE_ROUTING ones may answer a request whose path and method do name an operation.
UNROUTED = {400, 404, 405, 413, 414, 431, 503, 505}
PRE_ROUTING = {414, 431, 503, 505}


def _openapi30_to_jsonschema(node):
    """A copy of an OpenAPI 3.0 schema tree as plain JSON Schema (draft 4)."""
    if isinstance(node, list):
        return [_openapi30_to_jsonschema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _openapi30_to_jsonschema(v) for k, v in node.items()
           if k not in ("nullable", "example", "xml", "externalDocs",
                        "readOnly", "writeOnly", "deprecated")}
    # `properties`/`responses` maps are not schemas but their names could collide with the
    # keywords above: keep them verbatim (only their values are schemas).
    for k in ("properties", "patternProperties", "definitions", "schemas", "responses",
              "paths", "parameters", "requestBodies", "headers", "content", "examples"):
        if isinstance(node.get(k), dict):
            out[k] = {name: _openapi30_to_jsonschema(v) for name, v in node[k].items()}
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _one_of(validator, one_of, instance, schema):
    """oneOf with OpenAPI's discriminator: the branch is the one the mapping names for the
    instance's property (an unmapped value is an error), as clients pick it; without one,
    JSON Schema's oneOf."""
    disc = schema.get("discriminator")
    if not disc or not isinstance(instance, dict):
        yield from _draft4_one_of(validator, one_of, instance, schema)
        return
    prop = disc["propertyName"]
    ref = disc.get("mapping", {}).get(instance.get(prop))
    if ref is None:
        yield ValidationError(f"{prop} {instance.get(prop)!r} is not declared "
                              f"(not in the discriminator mapping)", path=[prop],
                              instance=instance.get(prop))
        return
    yield from validator.descend(instance, {"$ref": ref})


_draft4_one_of = Draft4Validator.VALIDATORS["oneOf"]
_Validator = validators.extend(Draft4Validator, {"oneOf": _one_of})

# The formats the spec uses, as its description states them: instants are RFC 3339 returned
# in UTC (`Z`), dates are full dates.
FORMATS = FormatChecker(formats=())
FORMATS.checks("date-time")(lambda v: not isinstance(v, str) or bool(re.fullmatch(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", v)))
FORMATS.checks("date")(lambda v: not isinstance(v, str) or bool(re.fullmatch(
    r"\d{4}-\d{2}-\d{2}", v)))


def Validator(schema, resolver):
    return _Validator(schema, resolver=resolver, format_checker=FORMATS)


class Contract:
    def __init__(self, path=SPEC_PATH):
        with open(path, encoding="utf-8") as f:
            self.raw = yaml.safe_load(f)
        self.doc = _openapi30_to_jsonschema(copy.deepcopy(self.raw))
        self.resolver = RefResolver("", self.doc)
        self.routes = []
        for template, ops in self.doc["paths"].items():
            params = template.count("{")
            rx = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            self.routes.append((params, template, rx, ops))
        self.routes.sort(key=lambda r: r[0])
        self.validators = {}
        error = self.doc["components"]["schemas"]["Error"]
        self.error_validator = Validator(error, resolver=self.resolver)

    def _deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.resolver.resolve(node["$ref"])[1]
        return node

    def operation(self, method, path):
        """(template, operation) for a request, (template, None) when the path exists but not
        the method, (None, None) for an unknown path."""
        method = method.lower()
        found = None
        for _, template, rx, ops in self.routes:
            if rx.match(path):
                if method in ops:
                    return template, ops[method]
                if method == "head" and "get" in ops:
                    return template, ops["get"]
                found = found or template
        return found, None

    def _validator(self, key, schema):
        v = self.validators.get(key)
        if v is None:
            v = self.validators[key] = Validator(schema, resolver=self.resolver)
        return v

    def check(self, method, url, status, content_type, body):
        """Problems (a list of strings) with one answer; empty when it matches the spec."""
        path = urlsplit(url).path
        template, op = self.operation(method, path)
        where = f"{method} {path}"
        is_json = (content_type or "").split(";")[0].strip().lower() == "application/json"
        if op is None or status in PRE_ROUTING:
            if status not in UNROUTED:
                return [f"{where}: {status} answered to a request no operation of the spec "
                        f"takes (expected one of {sorted(UNROUTED)})"]
            return self._body(where + f" (no operation) {status}", self.error_validator,
                              is_json, body, required=method.upper() != "HEAD")
        opid = op.get("operationId", f"{method} {template}")
        where = f"{opid} ({method} {path}) {status}"
        responses = op.get("responses", {})
        declared = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") \
            or responses.get("default")
        if declared is None:
            return [f"{where}: status {status} is not declared "
                    f"(declared: {', '.join(sorted(map(str, responses)))})"]
        declared = self._deref(declared)
        content = declared.get("content") or {}
        media = (content_type or "").split(";")[0].strip().lower()
        if not is_json and media and media in content:
            return []  # another media type the operation declares (a CSV export): not JSON
        if "application/json" not in content:
            if is_json and body:
                return [f"{where}: answered JSON where the spec declares "
                        f"{sorted(content) or 'no body'}"]
            return []
        schema = content["application/json"].get("schema", {})
        v = self._validator((opid, str(status), id(declared)), schema)
        return self._body(where, v, is_json, body, required=method.upper() != "HEAD")

    @staticmethod
    def _body(where, validator, is_json, body, required):
        if not body:
            return [f"{where}: empty body where the spec declares JSON"] if required else []
        if not is_json:
            return [f"{where}: answered a non-JSON body where the spec declares JSON"]
        try:
            doc = json.loads(body)
        except ValueError as e:
            return [f"{where}: body is not JSON ({e})"]
        err = best_match(validator.iter_errors(doc))
        if err is None:
            return []
        at = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path)
        schema_at = "/".join(map(str, err.absolute_schema_path))
        value = json.dumps(err.instance, ensure_ascii=False)
        if len(value) > 200:
            value = value[:200] + "..."
        return [f"{where}: {at}: {err.message.splitlines()[0][:300]} "
                f"(schema {schema_at}; value {value})"]


_contract = None
failures = []


def contract():
    global _contract
    if _contract is None:
        _contract = Contract()
    return _contract


def check(method, url, status, content_type, body):
    """Records the problems of one answer in `failures`. The console's files (/console, served
    by the same server: docs/console.md) are not part of the API and its spec."""
    path = urllib.parse.urlsplit(url).path
    if path == "/console" or path.startswith("/console/"):
        return
    problems = contract().check(method, url, status, content_type, body)
    failures.extend(problems)
    if problems and os.environ.get("SW_CONTRACT_LOG"):
        with open(os.environ["SW_CONTRACT_LOG"], "a", encoding="utf-8") as f:
            f.writelines(p + "\n" for p in problems)


def check_raw(request, status, content_type, body):
    """check() for an answer read off a raw socket: the method and path come from the request
    line of `request` (bytes). A request line too broken to name them is checked as a request
    no operation takes."""
    line = request.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
    method, target = (line + ["", ""])[:2]
    check(method or "?", "http://raw" + (target if target.startswith("/") else "/?" + target),
          status, content_type, body)


def summary(most=20):
    """The recorded problems, each once, at most `most` of them; clears the record."""
    problems = list(dict.fromkeys(failures))
    failures.clear()
    if len(problems) > most:
        problems = problems[:most] + [f"... and {len(problems) - most} more"]
    return problems
