"""The browser console's files at /console: served by the API's own server from the binary,
with their media types, the single-page app's pages answered by index.html, and nothing but
GET and HEAD. (The console itself is tested in Chromium: web/test/console.mjs.)"""
import pytest


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    from conftest import Server
    s = Server(str(tmp_path_factory.mktemp("console"))).start()
    yield s
    s.stop()


@pytest.mark.parametrize("path,ctype", [
    ("/console", "text/html; charset=utf-8"),
    ("/console/", "text/html; charset=utf-8"),
    ("/console/app.js", "text/javascript; charset=utf-8"),
    ("/console/app.css", "text/css; charset=utf-8"),
])
def test_console__files_have_their_media_types_and_need_no_key(srv, path, ctype):
    r = srv.api().get(path)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == ctype
    assert r.content


def test_console__pages_of_the_app_answer_index_html(srv):
    index = srv.api().get("/console/").content
    for page in ("/console/queue/open_appeals", "/console/stores/m1", "/console/audit"):
        r = srv.api().get(page)
        assert r.status_code == 200 and r.content == index
        assert b"/console/app.js" in r.content


def test_console__loads_nothing_from_elsewhere(srv):
    r = srv.api().get("/console/")
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert b"http://" not in r.content and b"https://" not in r.content
    js = srv.api().get("/console/app.js").content
    assert b"cdn." not in js


def test_console__a_missing_file_is_404_json(srv):
    r = srv.api().get("/console/missing.js")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "route_not_found"


def test_console__other_methods_are_refused(srv):
    r = srv.api().post("/console/", {})
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"
    assert r.headers["Allow"] == "GET, HEAD"


def test_console__head_answers_without_a_body(srv):
    r = srv.api().raw("HEAD", "/console/app.js")
    assert r.status_code == 200 and r.content == b""


def test_console__neighbours_stay_api_routes(srv):
    assert srv.api().get("/consoles").json()["error"]["code"] == "route_not_found"
