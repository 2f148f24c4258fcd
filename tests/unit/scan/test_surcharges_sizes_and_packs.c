/* Regional surcharges against an unconditional free-shipping claim, sizes the titles list that
 * the size labels leave out, an amount times another count, and the weight of a listing that
 * sells one piece (docs/scan.md, "Free shipping" and "Specifications"): each listing with the
 * rules it must fire and no other, under the default policy. Written from the rules, each
 * positive with a near miss. */
#include "scan_cases.h"

static void test_freight__a_surcharge_some_buyers_pay_against_free_shipping(void **s)
{
    static const struct scase cases[] = {
        {"an amount some regions pay on top",
         L("fresh.fruit", "赣南脐橙 10斤装 包邮", "规格：10斤装\\n运费：偏远地区及乡镇加收10元",
           ""),
         "consistency.free_shipping"},
        {"other regions pay on top",
         L("fresh.fruit", "烟台苹果 5斤 包邮", "运费：江浙沪包邮，其他地区每单加收8元运费。",
           ",\"freight\":\"0.00\""),
         "consistency.free_shipping"},
        {"three provinces pay on top",
         L("digital.phones", "锐米 Note14 5G手机 全网包邮",
           "全国包邮，新疆、西藏、青海订单另付运费 20 元", ",\"freight\":\"0.00\""),
         "consistency.free_shipping"},
        {"the claim states its exception",
         L("fresh.fruit", "赣南脐橙 10斤装 包邮（偏远地区除外）", "运费：偏远地区加收10元",
           ",\"freight\":\"0.00\""),
         ""},
        {"a conditional claim",
         L("fresh.fruit", "赣南脐橙 10斤装 满99包邮", "运费：偏远地区加收10元", ""), ""},
        {"no claim, a known freight of 0 and a regional surcharge",
         L("fresh.fruit", "赣南脐橙 10斤装", "新疆、西藏加收10元", ",\"freight\":\"0.00\""), ""},
        {"no surcharge at all",
         L("fresh.fruit", "赣南脐橙 10斤装 包邮", "全国包邮，顺丰发货", ",\"freight\":\"0.00\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_sizes__a_size_the_titles_list_and_the_labels_leave_out(void **s)
{
    static const struct scase cases[] = {
        {"the titles' smallest size is not there",
         L("apparel.women", "法式碎花连衣裙 收腰 S-XL", "尺码：M / L / XL / XXL\\n面料：聚酯纤维",
           ""),
         "consistency.spec"},
        {"the titles' largest size is not there",
         L("apparel.women", "阔腿西装裤女 垂感 M-3XL", "尺码：S M L XL\\n颜色：黑", ""),
         "consistency.spec"},
        {"every size the titles list is there",
         L("apparel.women", "法式碎花连衣裙 S-XL", "尺码：S / M / L / XL / XXL", ""), ""},
        {"a size table read to the end of its sentence",
         L("apparel.women", "法式碎花雪纺连衣裙 S-XL",
           "尺码表 S：衣长105 胸围86 腰围68｜M：衣长106 胸围90 腰围72｜L：衣长107 胸围94 腰围76"
           "｜XL：衣长108 胸围98 腰围80（单位cm）。",
           ""),
         ""},
        {"one size in the titles is not a list",
         L("apparel.women", "打底衫 M码", "尺码：M / L", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_packs__an_amount_times_another_count(void **s)
{
    static const struct scase cases[] = {
        {"five bags in the title, four in the spec",
         L("food.snacks", "夏威夷果 200g×5 年货节", "规格：200g×4袋\\n口味：奶油", ""),
         "consistency.spec"},
        {"each bag, five of them", L("food.snacks", "夏威夷果 每袋 200g×5", "规格：200g×4袋", ""),
         "consistency.spec"},
        {"the same count", L("food.snacks", "夏威夷果 200g×5", "规格：200g×5袋", ""), ""},
        {"the title's count is one of the variants",
         L("food.snacks", "夏威夷果 200g×5袋", "规格：200g×4袋 / 200g×5袋", ""), ""},
        {"a second count multiplies the spec's",
         L("food.snacks", "挂耳咖啡 10g×30包", "规格：10g×15包×2盒", ""), ""},
        {"a second count multiplies the title's",
         L("food.snacks", "挂耳咖啡 10g×15包×2盒", "规格：10g×30包", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_one_piece__the_titles_weight_is_the_pieces(void **s)
{
    static const struct scase cases[] = {
        {"one durian, another weight per fruit",
         L("fresh.fruit", "泰国金枕榴莲带壳6-7斤1个装", "规格：单果4-5斤\\n产地：泰国", ""),
         "consistency.spec"},
        {"one durian, its weight in the range",
         L("fresh.fruit", "泰国金枕榴莲带壳6-7斤1个装", "规格：单果6.5斤\\n产地：泰国", ""), ""},
        {"several pieces: the weight is the box's",
         L("fresh.seafood", "帝王蟹 整只 4只装 12斤", "规格：单只3斤", ""), ""},
        {"no piece named: the weight is the box's",
         L("fresh.fruit", "泰国金枕榴莲带壳 12斤", "规格：单果4-5斤", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_freight__a_surcharge_some_buyers_pay_against_free_shipping),
        cmocka_unit_test(test_sizes__a_size_the_titles_list_and_the_labels_leave_out),
        cmocka_unit_test(test_packs__an_amount_times_another_count),
        cmocka_unit_test(test_one_piece__the_titles_weight_is_the_pieces),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
