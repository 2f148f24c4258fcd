#include "support.h"

#include <string.h>

#include "base/instant.h"

static void test_instant__parses_offsets_and_fractions(void **state)
{
    sw_instant a = test_instant("2026-01-05T09:00:00+08:00");
    sw_instant b = test_instant("2026-01-05T01:00:00Z");
    sw_instant c = test_instant("2026-01-04T20:00:00-05:00");
    assert_int_equal(a, b);
    assert_int_equal(b, c);
    assert_int_equal(test_instant("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(test_instant("1970-01-01T00:00:00.000001Z"), 1);
    assert_int_equal(test_instant("1970-01-01T00:00:01.5Z"), 1500000);
    assert_int_equal(test_instant("2024-02-29T00:00:00Z"),
                     sw_days_from_civil(2024, 2, 29) * SW_US_PER_DAY);
}

static void test_instant__refuses_malformed(void **state)
{
    static const char *const bad[] = {
        "2026-01-05",
        "2026-01-05T09:00:00",
        "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2026-01-05T24:00:00Z",
        "2026-01-05T09:60:00Z",
        "2026-01-05T09:00:60Z",
        "2026-01-05 09:00:00Z",
        "2026-01-05T09:00:00+8:00",
        "2026-01-05T09:00:00.Z",
        "2026-01-05T09:00:00.1234567890Z", /* ten digits: more than nanoseconds */
        "2026-01-05T09:00:00+15:00",
        "1969-12-31T23:59:59Z",
        "2026-01-05T09:00:00Zjunk",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sw_instant t;
        struct sw_error err;
        assert_int_equal(sw_instant_parse(bad[i], strlen(bad[i]), &t, &err), SW_E_INVALID_VALUE);
    }
}

static void test_instant__drops_what_is_below_a_microsecond(void **state)
{
    /* RFC 3339 allows any digits; Go writes nanoseconds (RFC3339Nano): kept to the microsecond */
    assert_int_equal(test_instant("2026-01-05T09:00:00.123456789Z"),
                     test_instant("2026-01-05T09:00:00.123456Z"));
    assert_int_equal(test_instant("2026-01-05T09:00:00.1234567+08:00"),
                     test_instant("2026-01-05T09:00:00.123456+08:00"));
    assert_int_equal(test_instant("2026-01-05T09:00:00.000000999Z"),
                     test_instant("2026-01-05T09:00:00Z"));
}

static void test_instant__formats_utc(void **state)
{
    char b[32];
    assert_string_equal(sw_instant_format(0, b), "1970-01-01T00:00:00Z");
    assert_string_equal(sw_instant_format(test_instant("2026-01-05T09:00:00+08:00"), b),
                        "2026-01-05T01:00:00Z");
    assert_string_equal(sw_instant_format(1500001, b), "1970-01-01T00:00:01.500001Z");
    assert_string_equal(sw_instant_format(test_instant("9999-12-31T23:59:59.000001Z"), b),
                        "9999-12-31T23:59:59.000001Z");
    sw_instant t = (sw_days_from_civil(1, 2, 3) * 86400 + 4 * 3600 + 5 * 60 + 6) * SW_US_PER_S;
    assert_string_equal(sw_instant_format(t + 70000, b), "0001-02-03T04:05:06.070000Z");
    assert_string_equal(sw_instant_format(-1, b), "1969-12-31T23:59:59.999999Z");
}

static void test_instant__round_trips_civil_days(void **state)
{
    for (int64_t d = -1000; d < 30000; d += 7) {
        int y, m, dd;
        sw_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(sw_days_from_civil(y, m, dd), d);
    }
    assert_int_equal(sw_weekday(sw_days_from_civil(2026, 1, 5)), 0); /* Monday */
    assert_int_equal(sw_weekday(sw_days_from_civil(2026, 1, 4)), 6); /* Sunday */
    assert_int_equal(sw_weekday(sw_days_from_civil(1970, 1, 1)), 3); /* Thursday */
}

static void test_instant__shanghai_day_boundary(void **state)
{
    /* 2026-01-05T15:59:59Z is 23:59:59 on the 5th in Shanghai; a second later it is the 6th. */
    assert_int_equal(sw_shanghai_day(test_instant("2026-01-05T15:59:59Z")),
                     sw_days_from_civil(2026, 1, 5));
    assert_int_equal(sw_shanghai_day(test_instant("2026-01-05T16:00:00Z")),
                     sw_days_from_civil(2026, 1, 6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instant__parses_offsets_and_fractions),
        cmocka_unit_test(test_instant__refuses_malformed),
        cmocka_unit_test(test_instant__drops_what_is_below_a_microsecond),
        cmocka_unit_test(test_instant__formats_utc),
        cmocka_unit_test(test_instant__round_trips_civil_days),
        cmocka_unit_test(test_instant__shanghai_day_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
