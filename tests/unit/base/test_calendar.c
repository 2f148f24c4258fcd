#include "support.h"

#include <string.h>

#include "base/calendar.h"
#include "base/embedded.h"

static struct sw_calendar cal;

static int setup(void **state)
{
    sw_calendar_init(&cal);
    const char *files[] = {"data/calendar/cn-2025.json", "data/calendar/cn-2026.json"};
    for (int i = 0; i < 2; i++) {
        const struct sw_embedded_file *f = sw_embedded_find(files[i]);
        assert_non_null(f);
        struct sw_error err;
        assert_int_equal(sw_calendar_add_json(&cal, f->data, f->len, &err), SW_OK);
    }
    return 0;
}

static bool working(int y, int m, int d)
{
    bool w;
    struct sw_error err;
    assert_int_equal(sw_calendar_is_working_day(&cal, sw_days_from_civil(y, m, d), &w, &err),
                     SW_OK);
    return w;
}

static void test_calendar__2026_holidays_are_off(void **state)
{
    static const int off[][3] = {
        {1, 1, 3}, {2, 15, 23}, {4, 4, 6}, {5, 1, 5}, {6, 19, 21}, {9, 25, 27}, {10, 1, 7},
    };
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        for (int d = off[i][1]; d <= off[i][2]; d++)
            assert_false(working(2026, off[i][0], d));
}

static void test_calendar__2026_makeup_days_are_worked(void **state)
{
    static const int makeup[][2] = {{1, 4}, {2, 14}, {2, 28}, {5, 9}, {9, 20}, {10, 10}};
    for (size_t i = 0; i < sizeof makeup / sizeof makeup[0]; i++) {
        int64_t day = sw_days_from_civil(2026, makeup[i][0], makeup[i][1]);
        assert_true(sw_weekday(day) >= 5); /* each is a weekend day */
        assert_true(working(2026, makeup[i][0], makeup[i][1]));
    }
}

static void test_calendar__ordinary_days_follow_the_week(void **state)
{
    assert_true(working(2026, 1, 5));    /* Monday */
    assert_false(working(2026, 1, 10));  /* Saturday */
    assert_false(working(2026, 1, 11));  /* Sunday */
    assert_true(working(2026, 10, 8));   /* Thursday after National Day */
    assert_false(working(2026, 10, 11)); /* Sunday after the Oct 10 make-up day */
}

/* Counted by hand: 261 weekdays, minus 19 holidays on weekdays, plus 6 make-up days (2026);
 * 261 - 18 + 5 (2025). */
static void test_calendar__working_days_per_year(void **state)
{
    int n;
    struct sw_error err;
    assert_int_equal(sw_calendar_working_days_between(&cal, sw_days_from_civil(2025, 12, 31),
                                                      sw_days_from_civil(2026, 12, 31), &n, &err),
                     SW_OK);
    assert_int_equal(n, 248);
    assert_int_equal(sw_calendar_working_days_between(&cal, sw_days_from_civil(2024, 12, 31),
                                                      sw_days_from_civil(2025, 12, 31), &n, &err),
                     SW_OK);
    assert_int_equal(n, 248);
    assert_int_equal(sw_calendar_working_days_between(&cal, sw_days_from_civil(2026, 12, 30),
                                                      sw_days_from_civil(2027, 1, 4), &n, &err),
                     SW_E_CALENDAR_YEAR_MISSING);
}

static void add(const char *from, int n, const char *want)
{
    sw_instant out;
    struct sw_error err;
    assert_int_equal(sw_calendar_add_working_days(&cal, test_instant(from), n, &out, &err), SW_OK);
    char got[32];
    if (out != test_instant(want))
        fail_msg("%s + %d working days: got %s, want %s", from, n, sw_instant_format(out, got),
                 want);
}

static void test_calendar__adds_working_days_across_holidays(void **state)
{
    add("2026-09-30T10:00:00+08:00", 2, "2026-10-09T10:00:00+08:00");
    add("2026-02-13T10:00:00+08:00", 1, "2026-02-14T10:00:00+08:00");
    add("2026-02-14T10:00:00+08:00", 1, "2026-02-24T10:00:00+08:00");
    add("2026-01-04T23:30:00+08:00", 1, "2026-01-05T23:30:00+08:00");
    add("2026-01-09T08:00:00+08:00", 2, "2026-01-13T08:00:00+08:00");
    add("2026-01-09T08:00:00+08:00", 0, "2026-01-09T08:00:00+08:00");
    add("2025-12-31T12:00:00+08:00", 1, "2026-01-04T12:00:00+08:00"); /* Sunday, worked */
    /* 2026-01-01T00:30+08:00 is still 2025-12-31 in UTC: the local day decides. */
    add("2025-12-31T16:30:00Z", 1, "2026-01-04T00:30:00+08:00");
}

static void test_calendar__missing_year_is_an_error(void **state)
{
    sw_instant out;
    struct sw_error err;
    assert_int_equal(sw_calendar_add_working_days(&cal, test_instant("2026-12-31T10:00:00+08:00"),
                                                  1, &out, &err),
                     SW_E_CALENDAR_YEAR_MISSING);
    assert_non_null(strstr(err.msg, "2027"));
    bool w;
    assert_int_equal(sw_calendar_is_working_day(&cal, sw_days_from_civil(2024, 6, 3), &w, &err),
                     SW_E_CALENDAR_YEAR_MISSING);
}

static void test_calendar__refuses_bad_data(void **state)
{
    static const char *const bad[] = {
        "{\"region\":\"cn\",\"year\":2030,\"holidays\":[{\"name\":\"x\",\"from\":\"2031-01-01\","
        "\"to\":\"2031-01-01\"}],\"makeup_workdays\":[]}",
        "{\"region\":\"cn\",\"year\":2030,\"holidays\":[],\"makeup_workdays\":[\"2030-01-05\","
        "\"2030-01-05\"]}",
        "{\"region\":\"cn\",\"year\":2030,\"holidays\":[{\"name\":\"x\",\"from\":\"2030-01-03\","
        "\"to\":\"2030-01-01\"}],\"makeup_workdays\":[]}",
        "{\"region\":\"cn\",\"year\":2026,\"holidays\":[],\"makeup_workdays\":[]}",
        "{\"region\":\"cn\",\"year\":2030,\"holidays\":[],\"makeup_workdays\":[],\"x\":1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct sw_error err;
        assert_int_not_equal(sw_calendar_add_json(&cal, bad[i], strlen(bad[i]), &err), SW_OK);
    }
    assert_int_equal(cal.nyears, 2);
}

static void test_calendar__put_replaces_and_keeps_the_years_in_order(void **state)
{
    struct sw_calendar c;
    struct sw_error err;
    sw_calendar_init(&c);
    struct sw_calendar_year y;
    memset(&y, 0, sizeof y);
    for (int i = SW_CALENDAR_MAX_YEARS - 1; i >= 0; i--) {
        y.year = 2030 + i;
        assert_int_equal(sw_calendar_put(&c, &y, &err), SW_OK);
    }
    for (int i = 0; i < SW_CALENDAR_MAX_YEARS; i++)
        assert_int_equal(c.years[i].year, 2030 + i);
    y.year = 2029;
    assert_int_equal(sw_calendar_put(&c, &y, &err), SW_E_INVALID_VALUE);
    assert_non_null(strstr(err.msg, "2029"));
    y.year = 2031;
    y.kind[0] = 2; /* 2031-01-01 (Wednesday) marked worked: replaces the year */
    assert_int_equal(sw_calendar_put(&c, &y, &err), SW_OK);
    assert_int_equal(c.nyears, SW_CALENDAR_MAX_YEARS);
    assert_int_equal(c.years[1].kind[0], 2);
    assert_true(sw_calendar_has_year(&c, 2031));
    assert_false(sw_calendar_has_year(&c, 2029));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar__2026_holidays_are_off),
        cmocka_unit_test(test_calendar__2026_makeup_days_are_worked),
        cmocka_unit_test(test_calendar__ordinary_days_follow_the_week),
        cmocka_unit_test(test_calendar__working_days_per_year),
        cmocka_unit_test(test_calendar__adds_working_days_across_holidays),
        cmocka_unit_test(test_calendar__missing_year_is_an_error),
        cmocka_unit_test(test_calendar__refuses_bad_data),
        cmocka_unit_test(test_calendar__put_replaces_and_keeps_the_years_in_order),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
