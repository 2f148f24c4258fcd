/* Listings of a weekly random inspection sample (docs/scan.md): a promise after 七天无理由 is
 * still a promise (无理由 names a service, it negates nothing, and its 由 is no marker of what
 * the listing was), a power's top setting is no absolute term, and a phone's memory (16+512)
 * before 到手 is no price. Each listing with the rules
 * it must fire and no other, under the default policy; each positive with a near miss. */
#include "scan_cases.h"

static void test_promises__after_no_reason_returns(void **s)
{
    static const struct scase cases[] = {
        {"an allergy promise after 七天无理由, not in after_sales",
         L("beauty.skincare", "【七天无理由 过敏包退】积雪草精华液 30ml", "规格：30ml/瓶",
           ",\"after_sales\": [\"seven_day_return\"]"),
         "consistency.after_sales"},
        {"the same promise in after_sales",
         L("beauty.skincare", "【七天无理由 过敏包退】积雪草精华液 30ml", "规格：30ml/瓶",
           ",\"after_sales\": [\"seven_day_return\", \"allergy_return\"]"),
         ""},
        {"what the listing was still is not compared",
         L("beauty.skincare", "积雪草精华液 30ml", "原支持过敏包退，现已取消",
           ",\"after_sales\": [\"seven_day_return\"]"),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_advertising__a_top_setting_is_no_absolute_term(void **s)
{
    static const struct scase cases[] = {
        {"the largest setting of a power",
         L("home.kitchen", "电磁炉 家用 最大功率2200W", "额定功率：2200W（最大档位），8档火力可调",
           ""),
         ""},
        {"the largest of a market",
         L("home.kitchen", "电磁炉 家用 2200W", "全网最大火力，秒杀同行", ""),
         "advertising.absolute_terms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_prices__a_memory_pair_before_a_price_word(void **s)
{
    static const struct scase cases[] = {
        {"a phone's memory before 到手",
         L("digital.phones", "官方指导价¥3999 星耀 X60 Pro 16+512 到手¥3499", "限时到手价¥3499",
           ",\"price\": \"3499.00\""),
         ""},
        {"a price before 到手",
         L("digital.phones", "星耀 X60 Pro 16+512GB 3299到手", "限时优惠",
           ",\"price\": \"3499.00\""),
         "consistency.price"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_promises__after_no_reason_returns),
        cmocka_unit_test(test_advertising__a_top_setting_is_no_absolute_term),
        cmocka_unit_test(test_prices__a_memory_pair_before_a_price_word),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
