/* What one listing's findings may cost the single writer that stores them (issue 10): the
 * same thing written again and again is listed 8 times, the last with a count of the rest
 * ("repeats"), and a listing
 * reports at most the policy's scan.max_findings distinct findings (SW_SCAN_TRUNCATED). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/scan.h"

static struct sw_policy *pol;

static int setup(void **state)
{
    struct sw_error err;
    return sw_policy_load_default(&pol, &err);
}

static int teardown(void **state)
{
    sw_policy_free(pol);
    return 0;
}

static json_t *scan_detail(const struct sw_scanner *sc, const char *detail, unsigned *flags)
{
    struct sw_listing l = {.category = "fresh.fruit",
                           .has_price = true,
                           .price_fen = 100,
                           .has_production_date = true,
                           .has_quality_cert = true,
                           .has_manufacturer = true};
    l.text[SW_SF_TITLE] = "赣南脐橙";
    l.len[SW_SF_TITLE] = strlen(l.text[SW_SF_TITLE]);
    l.text[SW_SF_DETAIL] = detail;
    l.len[SW_SF_DETAIL] = strlen(detail);
    json_t *findings = NULL;
    struct sw_error err;
    assert_int_equal(sw_scan_flags(sc, &l, &findings, flags, &err), SW_OK);
    return findings;
}

static int count_rule(const json_t *findings, const char *rule)
{
    int n = 0;
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        n += strcmp(json_string_value(json_object_get(f, "rule")), rule) == 0;
    }
    return n;
}

static void test_volume__one_account_written_many_times_is_one_finding(void **state)
{
    char detail[4096] = "";
    for (int i = 0; i < 50; i++)
        strcat(detail, "加微信 guoyuan2026 ");
    unsigned flags = 0;
    json_t *findings = scan_detail(pol->scanner, detail, &flags);
    /* the first 8 places are listed, the 8th counts the 42 after it */
    assert_int_equal(count_rule(findings, "diversion.wechat"), 8);
    json_t *f = json_array_get(findings, 7);
    assert_string_equal(json_string_value(json_object_get(f, "rule")), "diversion.wechat");
    assert_int_equal(json_integer_value(json_object_get(f, "repeats")), 42);
    assert_null(json_object_get(json_array_get(findings, 6), "repeats"));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(findings, 0), "start")), 0);
    assert_false(flags & SW_SCAN_TRUNCATED);
    json_decref(findings);
    /* a few times: every place listed, no "repeats" */
    findings = scan_detail(pol->scanner, "加微信 guoyuan2026 加微信 guoyuan2026 加微信 guoyuan2026",
                           &flags);
    assert_int_equal(json_array_size(findings), 3);
    for (size_t i = 0; i < 3; i++)
        assert_null(json_object_get(json_array_get(findings, i), "repeats"));
    json_decref(findings);
}

static void test_volume__distinct_accounts_stay_distinct_up_to_the_cap(void **state)
{
    static char detail[65536];
    size_t n = 0;
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(detail + n, sizeof detail - n, "加v shop%05d ", i);
    unsigned flags = 0;
    json_t *findings = scan_detail(pol->scanner, detail, &flags);
    /* the default policy keeps 200 */
    assert_int_equal(json_array_size(findings), 200);
    assert_true(flags & SW_SCAN_TRUNCATED);
    assert_non_null(
        strstr(json_string_value(json_object_get(json_array_get(findings, 0), "evidence")),
               "shop00000")); /* the first ones in text order are kept */
    json_decref(findings);
    /* under the cap, every distinct account is its own finding */
    detail[0] = '\0';
    n = 0;
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(detail + n, sizeof detail - n, "加v shop%05d ", i);
    findings = scan_detail(pol->scanner, detail, &flags);
    assert_int_equal(count_rule(findings, "diversion.wechat"), 30);
    assert_false(flags & SW_SCAN_TRUNCATED);
    json_decref(findings);
}

static void test_volume__the_cap_is_a_policy_value(void **state)
{
    assert_int_equal(json_integer_value(json_object_get(pol->scan_doc, "max_findings")), 200);
    json_t *problems = json_array();
    json_t *scan = json_deep_copy(pol->scan_doc);
    json_object_set_new(scan, "max_findings", json_integer(3));
    struct sw_scanner *sc = sw_scanner_build(scan, "v", problems);
    assert_non_null(sc);
    unsigned flags = 0;
    json_t *findings = scan_detail(sc, "加v aa111 加v bb222 加v cc333 加v dd444", &flags);
    assert_int_equal(json_array_size(findings), 3);
    assert_true(flags & SW_SCAN_TRUNCATED);
    json_decref(findings);
    sw_scanner_free(sc);
    json_object_set_new(scan, "max_findings", json_integer(0));
    assert_null(sw_scanner_build(scan, "v", problems));
    json_object_set_new(scan, "max_findings", json_integer(10001));
    assert_null(sw_scanner_build(scan, "v", problems));
    char *text = json_dumps(problems, 0);
    assert_non_null(strstr(text, "$.scan.max_findings"));
    free(text);
    json_decref(scan);
    json_decref(problems);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_volume__one_account_written_many_times_is_one_finding,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_volume__distinct_accounts_stay_distinct_up_to_the_cap,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_volume__the_cap_is_a_policy_value, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
