/* Listings written the way a live stream's host talks (docs/scan.md): tags that are hooks, not
 * brands; times and ratings that are no prices; coupons that explain a price after them; free
 * shipping as the consequence of a condition; a dispatch time with 才能. Each listing with the
 * rules it must fire and no other, under the default policy; each positive with a near miss. */
#include "scan_cases.h"

static void test_tags__a_hook_or_a_claim_is_no_brand(void **s)
{
    static const struct scase cases[] = {
        {"a host's hook",
         L("food.snacks", "【家人们冲】芝士年糕 10包", "一份10包，每包60克。",
           ",\"brand\": \"麦香村\""),
         ""},
        {"a tag that is a listed claim",
         L("food.snacks", "【国宴特供】云南普洱茶 357g", "规格：357g", ",\"brand\": \"云岭甜园\""),
         "advertising.absolute_terms"},
        {"a made-up brand in a tag is still one",
         L("food.snacks", "【甜心果】每日坚果 30包", "规格：30包", ",\"brand\": \"甜趣\""),
         "consistency.brand"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_prices__times_ratings_and_coupons(void **s)
{
    static const struct scase cases[] = {
        {"a dispatch time after 拍下 is no price",
         L("beauty.skincare", "氨基酸洁面乳 3支装", "拍下48小时发货，支持7天无理由。",
           ",\"price\": \"79.00\", \"after_sales\": [\"seven_day_return\"]"),
         ""},
        {"a price after 拍下 still is one",
         L("beauty.skincare", "氨基酸洁面乳 3支装", "拍下49元，三支到手。",
           ",\"price\": \"79.00\""),
         "consistency.price"},
        {"a rating after 特价 is no price",
         L("digital.phones", "【二手特价】9成新 5G手机", "外观有使用痕迹。",
           ",\"price\": \"599.00\""),
         ""},
        {"a shop coupon explains the price after it",
         L("beauty.skincare", "卸妆油 200ml", "标价139，满减20，再叠一张店铺券10元，到手109。",
           ",\"price\": \"139.00\""),
         ""},
        {"a price after coupons that do not add up",
         L("beauty.skincare", "卸妆油 200ml", "标价139，满减20，再叠一张店铺券10元，到手99。",
           ",\"price\": \"139.00\""),
         "consistency.price"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_shipping_and_dispatch__conditions_said_before(void **s)
{
    static const struct scase cases[] = {
        {"free shipping when two are bought",
         L("fresh.seafood", "鲜冻大虾仁 2斤装 满199包邮", "单拍一份运费15块，拍两份就包邮了。",
           ",\"freight\": \"15.00\""),
         ""},
        {"free shipping said outright",
         L("fresh.seafood", "鲜冻大虾仁 2斤装", "全国包邮，冷链发货。", ",\"freight\": \"15.00\""),
         "consistency.free_shipping"},
        {"a dispatch time with 才能",
         L("fresh.fruit", "云南蓝莓 125g×4盒 48小时发货", "果园排队采摘，一般5到7天才能发出来。",
           ""),
         "consistency.facts"},
        {"the same dispatch time with 才能",
         L("fresh.fruit", "云南蓝莓 125g×4盒 48小时发货", "一般48小时内才能发出来，着急的别拍。",
           ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tags__a_hook_or_a_claim_is_no_brand),
        cmocka_unit_test(test_prices__times_ratings_and_coupons),
        cmocka_unit_test(test_shipping_and_dispatch__conditions_said_before),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
