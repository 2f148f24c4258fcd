/* The thirty-seventh session's classes (docs/scan.md): a platform's short name inside a longer
 * word of letters names no platform (the pdd of LPDDR5X), so the amount beside it is read; then
 * the classes of the session's unseen sets.
 * Each listing with the rules it must fire and no other, under the default policy; each positive
 * with a near miss. */
#include "scan_cases.h"

static void test_words_inside_words(void **s)
{
    static const struct scase cases[] = {
        {"a phone's memory before its memory type",
         L("digital.phones", "小米14 8GB+256GB 全网通", "运行内存：12GB LPDDR5X\\n机身存储：256GB",
           ",\"brand\":\"小米\""),
         "consistency.spec"},
        {"the same memory before its memory type",
         L("digital.phones", "小米14 8GB+256GB 全网通", "运行内存：8GB LPDDR5X\\n机身存储：256GB",
           ",\"brand\":\"小米\""),
         ""},
        {"an amount in a platform's clause is the amount there",
         L("digital.phones", "小米14 8GB+256GB 全网通", "pdd上12GB的才卖这个价",
           ",\"brand\":\"小米\""),
         "diversion.other_platforms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_inside_words),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
