/* Listings small shops type on a phone, and the buyer-report desk's (docs/scan.md, holdout64's
 * and holdout65's classes): a model's suffix after a dash is part of it, a colour said sold out
 * names none, an embassy's supply is an endorsement, advice to follow the instructions is no
 * absolute term, Taobao by homophone, Douyin's own live room. Each listing with the rules it
 * must fire and no other, under the default policy; each positive with a near miss. */
#include "scan_cases.h"

static void test_models__a_suffix_after_a_dash(void **s)
{
    static const struct scase cases[] = {
        {"another suffix of the same series",
         L("home.kitchen", "九阳破壁机 L18-P393 家用多功能", "型号：L18-P132\\n1.2L杯 可做豆浆",
           ""),
         "consistency.facts"},
        {"the same model",
         L("home.kitchen", "九阳破壁机 L18-P393 家用多功能", "型号：L18-P393\\n1.2L杯 可做豆浆",
           ""),
         ""},
        {"a capacity after a dash is no suffix",
         L("digital.phones", "iPhone 15-128G 手机壳", "型号：iPhone 15", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_colours__one_said_sold_out(void **s)
{
    static const struct scase cases[] = {
        {"the colour sent, the title's sold out",
         L("digital.phones", "vivo Y100 星夜黑 8+128", "颜色: 月光白（黑色卖完了 发白色）", ""),
         "consistency.attributes"},
        {"the title's colour in stock",
         L("digital.phones", "vivo Y100 星夜黑 8+128", "颜色: 星夜黑", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_words__endorsements_advice_and_platforms(void **s)
{
    static const struct scase cases[] = {
        {"an embassy's supply", L("food.snacks", "比利时 巧克力 礼盒", "驻华使馆特供 送女朋友", ""),
         "advertising.absolute_terms"},
        {"an embassy named for its country",
         L("food.snacks", "比利时 巧克力 礼盒", "比利时进口，北京使馆区也有门店", ""), ""},
        {"advice to follow the tin's instructions",
         L("baby.formula", "婴儿配方奶粉 1段 800g×2罐", "两罐装 每罐800克\\n最好按罐身说明冲调",
           ""),
         ""},
        {"Taobao by homophone",
         L("beauty.makeup", "丝绒雾面唇釉 3色套装", "直播间库存没了可以去桃宝下单", ""),
         "diversion.other_platforms"},
        {"this platform's own live room",
         L("beauty.makeup", "睫毛膏 8ml", "抖音直播间每晚8点开播，关注店铺领券", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_models__a_suffix_after_a_dash),
        cmocka_unit_test(test_colours__one_said_sold_out),
        cmocka_unit_test(test_words__endorsements_advice_and_platforms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
