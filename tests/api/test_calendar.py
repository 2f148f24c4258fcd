"""The working-day calendar is data: an operator adds a year the State Council has published
by putting it in the policy's calendar.years, checks the file with `shopwarden policy check`
and activates it with POST /v1/admin/policy, without a rebuild. The manual clock, which stops
at the end of the year after the calendar's last, follows the activated calendar."""
import copy

from conftest import check_policy, default_policy, error_code

# A made-up 2027 (the real one must be copied from the State Council notice once published).
YEAR_2027 = {
    "region": "cn",
    "year": 2027,
    "source": "test data, not the State Council's",
    "holidays": [
        {"name": "New Year's Day", "from": "2027-01-01", "to": "2027-01-01"},
        {"name": "Spring Festival", "from": "2027-02-06", "to": "2027-02-14"},
    ],
    "makeup_workdays": ["2027-02-20"],
}


def policy_with(years, version="with-2027"):
    p = default_policy()
    p["version"] = version
    p["calendar"]["years"] = years
    return p


def refused_clock(admin, now):
    r = admin.post("/v1/admin/clock", {"now": now})
    assert r.status_code == 400 and error_code(r) == "invalid_value", r.text
    assert r.json()["error"]["details"]["field"] == "now"


def test_a_year_added_by_the_policy_moves_the_clock_limit(server):
    admin = server.admin()
    # shipped 2025 and 2026: the clock stops before 2028-01-01 Asia/Shanghai
    refused_clock(admin, "2028-03-01T00:00:00+08:00")
    pol = policy_with([YEAR_2027])
    out = check_policy(pol)
    assert out.returncode == 0, out.stdout
    assert "2025, 2026, 2027" in out.stdout
    r = admin.post("/v1/admin/policy", pol)
    assert r.status_code == 200 and r.json()["result"]["activated"] is True, r.text
    r = admin.post("/v1/admin/clock", {"now": "2028-03-01T00:00:00+08:00"})
    assert r.status_code == 200, r.text
    assert r.json()["now"] == "2028-02-29T16:00:00Z"
    refused_clock(admin, "2029-01-01T00:00:00+08:00")
    # the activated policy, and its calendar, survive a restart
    server.stop()
    server.start()
    r = server.admin().post("/v1/admin/clock", {"now": "2028-12-31T23:00:00+08:00"})
    assert r.status_code == 200, r.text


def test_a_bad_year_is_refused_with_its_path_and_changes_nothing(server):
    admin = server.admin()
    bad_year = copy.deepcopy(YEAR_2027)
    bad_year["holidays"][1]["from"] = "2027-02-30"
    bad_year["makeup_workdays"] = ["2027-02-17"]  # a Wednesday
    pol = policy_with([bad_year, YEAR_2027], version="bad-2027")
    out = check_policy(pol)
    assert out.returncode == 1
    cli = sorted(line.split(": ", 2)[1:] for line in out.stdout.splitlines() if ": $" in line)
    before = server.db_counts()
    r = admin.post("/v1/admin/policy", pol)
    assert r.status_code == 422 and error_code(r) == "policy_invalid", r.text
    problems = r.json()["error"]["details"]["problems"]
    assert sorted([p["path"], p["message"]] for p in problems) == cli
    paths = {p["path"] for p in problems}
    assert {"$.calendar.years[0].holidays[1].from", "$.calendar.years[0].makeup_workdays[0]",
            "$.calendar.years[1].year"} <= paths, paths
    assert server.db_counts() == before
    assert admin.get("/v1/policy").json()["version"] == default_policy()["version"]
    refused_clock(admin, "2028-03-01T00:00:00+08:00")
