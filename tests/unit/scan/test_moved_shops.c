/* Merchants new to the platform (holdout55, docs/scan.md): a second piece at half price (the
 * price of two is one and a half prices; the half price itself is no price of the listing), a
 * brand label whose value is an endorsement, a size table whose rows start on the next line,
 * snack flavours (海苔味, 孜然味) and 最好 before a time to take something. Each positive with a
 * near miss, under the default policy. */
#include "scan_cases.h"

#define PRICED(p) ",\"price\":\"" p "\""

static void test_prices__the_second_piece_at_half_price(void **s)
{
    static const struct scase cases[] = {
        {"89 and 44.5 and 133.5 for two",
         L("apparel.women", "纯棉衬衫女 第二件半价", "单件¥89，第二件半价¥44.5，拍2件到手¥133.5",
           PRICED("89.00")),
         ""},
        {"two for 79 at 59 with the second at half price",
         L("food.snacks", "奶酪棒 第二件半价 两件到手79元",
           "活动：拍2件第二件半价，两件到手仅需79元！", PRICED("59.00")),
         "consistency.price"},
        {"two for 118.50 at 79",
         L("food.snacks", "奶酪棒 第二件半价", "两件到手仅需118.5元", PRICED("79.00")), ""},
        {"a price for two with no half-price offer is not compared",
         L("food.snacks", "奶酪棒", "两件到手仅需79元", PRICED("59.00")), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_brand__a_label_whose_value_is_an_endorsement(void **s)
{
    static const struct scase cases[] = {
        {"品牌】央视推荐品牌: the claim, no brand",
         L("food.snacks", "手工芝麻糖 300g", "【品牌】央视推荐品牌\\n【规格】300g",
           ",\"brand\":\"京味斋\""),
         "advertising.absolute_terms"},
        {"品牌】another name",
         L("food.snacks", "手工芝麻糖 300g", "【品牌】老北京\\n【规格】300g",
           ",\"brand\":\"京味斋\""),
         "consistency.brand"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_sizes__a_table_whose_rows_start_on_the_next_line(void **s)
{
    static const struct scase cases[] = {
        {"S-4XL against a table of S to XL",
         L("apparel.women", "阔腿裤女 高腰 S-4XL",
           "【尺码表】\\nS｜腰围64\\nM｜腰围68\\nL｜腰围72\\nXL｜腰围76\\n（本款仅有以上尺码）",
           ""),
         "consistency.spec"},
        {"S-XL and the same table",
         L("apparel.women", "阔腿裤女 高腰 S-XL",
           "【尺码表】\\nS｜腰围64\\nM｜腰围68\\nL｜腰围72\\nXL｜腰围76", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_specs__a_pack_of_one_of_a_unit_also_read_after_numerals(void **s)
{
    static const struct scase cases[] = {
        {"2件装 against 单件装（1件）",
         L("apparel.women", "纯棉短袖T恤女 2件装 宽松百搭", "【规格】单件装（1件）", ""),
         "consistency.spec"},
        {"2双 against 单双装",
         L("apparel.women", "棉袜 2双 组合装", "规格：单双装，颜色二选一", ""), "consistency.spec"},
        {"单件装 and 单件装",
         L("apparel.women", "纯棉短袖T恤女 单件装", "【规格】单件装（1件）", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_words__flavours_and_advice(void **s)
{
    static const struct scase cases[] = {
        {"海苔味 against 口味：原味／麻辣味／孜然味",
         L("food.snacks", "海苔味锅巴 108g×5袋", "口味：原味／麻辣味／孜然味\\n规格：108g×5袋", ""),
         "consistency.attributes"},
        {"孜然味 among the options",
         L("food.snacks", "孜然味锅巴 108g×5袋", "口味：原味／麻辣味／孜然味\\n规格：108g×5袋", ""),
         ""},
        {"最好随餐服用 is advice",
         L("health.supplements", "维生素D3软胶囊 90粒", "每日1粒，最好随餐服用", ""), ""},
        {"最好的 is a claim", L("health.supplements", "维生素D3软胶囊 90粒", "全网最好的维D", ""),
         "advertising.absolute_terms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prices__the_second_piece_at_half_price),
        cmocka_unit_test(test_brand__a_label_whose_value_is_an_endorsement),
        cmocka_unit_test(test_sizes__a_table_whose_rows_start_on_the_next_line),
        cmocka_unit_test(test_specs__a_pack_of_one_of_a_unit_also_read_after_numerals),
        cmocka_unit_test(test_words__flavours_and_advice),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
