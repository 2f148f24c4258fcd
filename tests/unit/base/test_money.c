#include "support.h"

#include <string.h>

#include "base/money.h"

static int parse(const char *s, bool neg, int64_t *out)
{
    struct sw_error err;
    return sw_money_parse(s, strlen(s), neg, out, &err);
}

static void test_money__parses_exact_amounts(void **state)
{
    static const struct {
        const char *in;
        int64_t fen;
    } cases[] = {
        {"0", 0},        {"12", 1200},         {"12.3", 1230},
        {"12.34", 1234}, {"0.01", 1},          {"0.1", 10},
        {"69.00", 6900}, {"100000", 10000000}, {"10000000000000", INT64_C(1000000000000000)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = -1;
        assert_int_equal(parse(cases[i].in, false, &v), SW_OK);
        assert_int_equal(v, cases[i].fen);
    }
}

static void test_money__refuses_malformed(void **state)
{
    static const char *const bad[] = {"",     "-",   ".5",  "1.",   "1.234", "01",   "1e3",
                                      " 1",   "1 ",  "+1",  "1,00", "1.2.3", "0x10", "１２",
                                      "1..2", "abc", "NaN", "1.-2", "--1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t v;
        assert_int_not_equal(parse(bad[i], true, &v), SW_OK);
    }
}

static void test_money__negative_only_when_allowed(void **state)
{
    int64_t v;
    assert_int_equal(parse("-1.50", false, &v), SW_E_INVALID_VALUE);
    assert_int_equal(parse("-1.50", true, &v), SW_OK);
    assert_int_equal(v, -150);
    assert_int_equal(parse("-0", true, &v), SW_E_INVALID_VALUE);
}

static void test_money__overflow_is_an_error(void **state)
{
    int64_t v;
    assert_int_equal(parse("10000000000000.01", false, &v), SW_E_AMOUNT_OVERFLOW);
    assert_int_equal(parse("99999999999999999999999", false, &v), SW_E_AMOUNT_OVERFLOW);
    assert_false(sw_money_add(INT64_MAX, 1, &v));
    assert_false(sw_money_sub(INT64_MIN, 1, &v));
    assert_false(sw_money_mul(INT64_MAX / 2, 3, &v));
    assert_true(sw_money_add(1, 2, &v));
    assert_int_equal(v, 3);
}

static void test_money__formats(void **state)
{
    char b[24];
    assert_string_equal(sw_money_format(0, b), "0.00");
    assert_string_equal(sw_money_format(5, b), "0.05");
    assert_string_equal(sw_money_format(123456, b), "1234.56");
    assert_string_equal(sw_money_format(-5, b), "-0.05");
    assert_string_equal(sw_money_format(INT64_MIN, b), "-92233720368547758.08");
}

static void test_money__basis_points_round_half_even(void **state)
{
    static const struct {
        int64_t amount, bp, want;
    } cases[] = {
        {10000, 500, 500}, /* 5% of 100.00 */
        {50, 1000, 5},     /* exact */
        {25, 2000, 5},     /* 5.0 */
        {125, 400, 5},     /* 5.0 */
        {1250, 4, 0},      /* 0.5 -> 0 (even) */
        {3750, 4, 2},      /* 1.5 -> 2 */
        {6250, 4, 2},      /* 2.5 -> 2 */
        {6251, 4, 3},      /* 2.5004 -> 3 */
        {-6250, 4, -2},    /* symmetric */
        {-3750, 4, -2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v;
        assert_true(sw_money_mul_bp(cases[i].amount, cases[i].bp, &v));
        assert_int_equal(v, cases[i].want);
    }
    int64_t v;
    assert_false(sw_money_mul_bp(INT64_MAX, 10000, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money__parses_exact_amounts),
        cmocka_unit_test(test_money__refuses_malformed),
        cmocka_unit_test(test_money__negative_only_when_allowed),
        cmocka_unit_test(test_money__overflow_is_an_error),
        cmocka_unit_test(test_money__formats),
        cmocka_unit_test(test_money__basis_points_round_half_even),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
