/* The policy's calendar section: "years" adds a year (or replaces a shipped one) without a
 * rebuild, checked like the shipped files, every problem with its JSON path. */
#include "support.h"

#include <string.h>

#include "base/calendar.h"
#include "base/embedded.h"

/* A made-up 2027 for the tests (not the State Council's: it has not published 2027 yet):
 * New Year Jan 1 (Fri) off, Spring Festival Feb 6-14 off, Feb 20 (Sat) worked. */
#define Y2027                                                                                      \
    "{\"region\":\"cn\",\"year\":2027,\"source\":\"test\",\"holidays\":["                          \
    "{\"name\":\"New Year's Day\",\"from\":\"2027-01-01\",\"to\":\"2027-01-01\"},"                 \
    "{\"name\":\"Spring Festival\",\"from\":\"2027-02-06\",\"to\":\"2027-02-14\"},"                \
    "{\"name\":\"Qingming Festival\",\"from\":\"2027-04-03\",\"to\":\"2027-04-05\"}],"             \
    "\"makeup_workdays\":[\"2027-02-20\"]}"

/* The default policy with its "calendar" section replaced by cal (JSON text). */
static int load_with_calendar(const char *cal, struct sw_policy **p, json_t **problems)
{
    const struct sw_embedded_file *f = sw_embedded_find(SW_POLICY_DEFAULT_PATH);
    assert_non_null(f);
    json_t *doc = json_loadb(f->data, f->len, 0, NULL);
    json_t *c = json_loads(cal, 0, NULL);
    assert_non_null(doc);
    if (!c)
        fail_msg("test calendar is not JSON: %s", cal);
    json_object_set_new(doc, "calendar", c);
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    struct sw_error err;
    *p = NULL;
    *problems = NULL;
    int rc = sw_policy_load(text, strlen(text), p, problems, &err);
    free(text);
    return rc;
}

static int64_t day_of(const char *s)
{
    int64_t d;
    struct sw_error err;
    assert_int_equal(sw_date_parse(s, strlen(s), &d, &err), SW_OK);
    return d;
}

static void expect_before(const struct sw_policy *p, const char *session, int n, const char *want)
{
    int64_t out;
    struct sw_error err;
    int rc = sw_calendar_working_day_before(&p->calendar, day_of(session), n, &out, &err);
    if (rc)
        fail_msg("%s n=%d: %s", session, n, err.msg);
    char got[16];
    if (out != day_of(want))
        fail_msg("%s n=%d: got %s, want %s", session, n, sw_date_format(out, got), want);
}

static void test_policy_calendar__a_year_added_by_the_policy_is_usable(void **state)
{
    struct sw_policy *p;
    json_t *problems;
    assert_int_equal(load_with_calendar("{\"region\":\"cn\",\"years\":[" Y2027 "]}", &p, &problems),
                     SW_OK);
    assert_int_equal(json_array_size(problems), 0);
    assert_int_equal(p->calendar.nyears, 3);
    assert_int_equal(p->calendar.years[2].year, 2027); /* in order */
    expect_before(p, "2027-01-04", 1, "2026-12-31");   /* Jan 1 off, back into shipped 2026 */
    expect_before(p, "2027-02-15", 1, "2027-02-05");
    expect_before(p, "2027-02-22", 1, "2027-02-20"); /* the make-up Saturday */
    expect_before(p, "2027-04-06", 1, "2027-04-02");
    int64_t out;
    struct sw_error err;
    assert_int_equal(
        sw_calendar_working_day_before(&p->calendar, day_of("2028-01-03"), 2, &out, &err),
        SW_E_CALENDAR_YEAR_MISSING);
    assert_non_null(strstr(err.msg, "2028"));
    json_decref(problems);
    sw_policy_free(p);
}

static void test_policy_calendar__a_policy_year_replaces_the_shipped_one(void **state)
{
    struct sw_policy *p;
    json_t *problems;
    /* 2026 without its Spring Festival: Feb 23 (Mon) becomes an ordinary working day */
    const char *cal = "{\"region\":\"cn\",\"years\":[{\"region\":\"cn\",\"year\":2026,"
                      "\"holidays\":[{\"name\":\"x\",\"from\":\"2026-01-01\",\"to\":"
                      "\"2026-01-03\"}],\"makeup_workdays\":[]}]}";
    assert_int_equal(load_with_calendar(cal, &p, &problems), SW_OK);
    assert_int_equal(p->calendar.nyears, 2);
    expect_before(p, "2026-02-24", 1, "2026-02-23");
    expect_before(p, "2026-02-24", 2, "2026-02-20"); /* Feb 14 is an ordinary Saturday again */
    expect_before(p, "2026-01-05", 1, "2025-12-31"); /* Jan 4 no longer worked; 2025 shipped */
    json_decref(problems);
    sw_policy_free(p);
    /* and without "years" the shipped 2026 is in force */
    assert_int_equal(load_with_calendar("{\"region\":\"cn\"}", &p, &problems), SW_OK);
    expect_before(p, "2026-02-24", 2, "2026-02-13");
    json_decref(problems);
    sw_policy_free(p);
}

struct bad_case {
    const char *calendar; /* the whole "calendar" section */
    const char *path;     /* a problem must name this path */
};

#define YEARS(...) "{\"region\":\"cn\",\"years\":[" __VA_ARGS__ "]}"
#define HOL(name, from, to) "{\"name\":\"" name "\",\"from\":\"" from "\",\"to\":\"" to "\"}"
#define YEAR(region, year, hols, makeup)                                                           \
    "{\"region\":\"" region "\",\"year\":" year ",\"holidays\":[" hols                             \
    "],\"makeup_workdays\":[" makeup "]}"
#define H3 HOL("a", "2027-01-01", "2027-01-01") "," HOL("b", "2027-02-06", "2027-02-14") ","

static const struct bad_case BAD[] = {
    {YEARS(YEAR("cn", "2027", H3 HOL("c", "2027-04-31", "2027-05-02"), "")),
     "$.calendar.years[0].holidays[2].from"},
    {YEARS(YEAR("cn", "2027", H3 HOL("c", "2026-12-31", "2027-01-01"), "")),
     "$.calendar.years[0].holidays[2].from"},
    {YEARS(YEAR("cn", "2027", H3 HOL("c", "2027-12-31", "2028-01-02"), "")),
     "$.calendar.years[0].holidays[2].to"},
    {YEARS(YEAR("cn", "2027", H3 HOL("c", "2027-05-05", "2027-05-01"), "")),
     "$.calendar.years[0].holidays[2].to"},
    {YEARS(YEAR("cn", "2027", H3 HOL("c", "2027-06-01", "2027-07-15"), "")),
     "$.calendar.years[0].holidays[2]"},
    {YEARS(YEAR("cn", "2027", H3 HOL("overlap", "2027-02-14", "2027-02-16"), "")),
     "$.calendar.years[0].holidays[2]"},
    {YEARS(YEAR("cn", "2027", H3 HOL("c", "2027-04-03", "2027-04-05"), "\"2027-02-07\"")),
     "$.calendar.years[0].makeup_workdays[0]"}, /* a make-up day on a holiday */
    {YEARS(YEAR("cn", "2027", H3 HOL("c", "2027-04-03", "2027-04-05"),
                "\"2027-02-20\","
                "\"2027-02-17\"")),
     "$.calendar.years[0].makeup_workdays[1]"}, /* a Wednesday */
    {YEARS(YEAR("cn", "2027", H3 HOL("c", "2027-04-03", "2027-04-05"), "\"2028-01-01\"")),
     "$.calendar.years[0].makeup_workdays[0]"},
    {YEARS(YEAR("cn", "2027", H3 HOL("c", "2027-04-03", "2027-04-05"), "7")),
     "$.calendar.years[0].makeup_workdays[0]"},
    {YEARS(YEAR("hk", "2027", "", "")), "$.calendar.years[0].region"},
    {YEARS(YEAR("cn", "\"2027\"", "", "")), "$.calendar.years[0].year"},
    {YEARS(YEAR("cn", "1969", "", "")), "$.calendar.years[0].year"},
    {YEARS(
         YEAR("cn", "2027", "", "") "," YEAR("cn", "2028", "", "") "," YEAR("cn", "2027", "", "")),
     "$.calendar.years[2].year"},
    {YEARS("{\"region\":\"cn\",\"year\":2027,\"makeup_workdays\":[]}"),
     "$.calendar.years[0].holidays"},
    {YEARS("{\"region\":\"cn\",\"year\":2027,\"holidays\":[],\"makeup_workdays\":[],\"x\":1}"),
     "$.calendar.years[0]"},
    {YEARS(YEAR("cn", "2027", "{\"name\":\"a\",\"from\":\"2027-01-01\"}", "")),
     "$.calendar.years[0].holidays[0].to"},
    {YEARS("2027"), "$.calendar.years[0]"},
    {"{\"region\":\"cn\",\"years\":{}}", "$.calendar.years"},
    {"{\"region\":\"cn\",\"years\":[],\"extra\":1}", "$.calendar"},
    {"{\"region\":\"xx\"}", "$.calendar.region"},
};

static void test_policy_calendar__bad_years_are_problems_with_their_path(void **state)
{
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        struct sw_policy *p;
        json_t *problems;
        int rc = load_with_calendar(BAD[i].calendar, &p, &problems);
        if (rc != SW_E_POLICY_INVALID)
            fail_msg("case %zu accepted: %s", i, BAD[i].calendar);
        assert_null(p);
        bool seen = false;
        size_t j;
        json_t *pr;
        json_array_foreach(problems, j, pr)
        {
            seen |= strcmp(json_string_value(json_object_get(pr, "path")), BAD[i].path) == 0;
            assert_true(json_string_length(json_object_get(pr, "message")) > 0);
        }
        if (!seen)
            fail_msg("case %zu: no problem at %s in %s", i, BAD[i].path, json_dumps(problems, 0));
        json_decref(problems);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_calendar__a_year_added_by_the_policy_is_usable),
        cmocka_unit_test(test_policy_calendar__a_policy_year_replaces_the_shipped_one),
        cmocka_unit_test(test_policy_calendar__bad_years_are_problems_with_their_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
