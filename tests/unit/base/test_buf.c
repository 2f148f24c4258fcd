#include "support.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static void test_buf__appends_up_to_its_limit_and_no_further(void **state)
{
    struct sw_buf b;
    sw_buf_init(&b, 8);
    assert_true(sw_buf_puts(&b, "abcd"));
    assert_true(sw_buf_printf(&b, "%d", 123));
    assert_false(sw_buf_puts(&b, "xy")); /* 9 > 8: refused, buffer unchanged */
    assert_string_equal(b.data, "abcd123");
    assert_true(sw_buf_puts(&b, "z"));
    char *s = sw_buf_steal(&b);
    assert_string_equal(s, "abcd123z");
    assert_int_equal(b.len, 0);
    free(s);
    sw_buf_release(&b);
}

static void test_buf__formats_integers_without_printf(void **state)
{
    char out[24];
    const struct {
        int64_t v;
        const char *want;
    } cases[] = {{0, "0"},
                 {7, "7"},
                 {-7, "-7"},
                 {1000000, "1000000"},
                 {INT64_MAX, "9223372036854775807"},
                 {INT64_MIN, "-9223372036854775808"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sw_fmt_i64(out, cases[i].v), strlen(cases[i].want));
        assert_string_equal(out, cases[i].want);
    }
    char d[8] = {0};
    assert_ptr_equal(sw_fmt_digits(d, 42, 4), d + 4);
    assert_string_equal(d, "0042");
    sw_fmt_digits(d, 123456, 2); /* the low digits when wider */
    assert_memory_equal(d, "56", 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf__appends_up_to_its_limit_and_no_further),
        cmocka_unit_test(test_buf__formats_integers_without_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
