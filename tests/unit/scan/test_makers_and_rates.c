/* Kitchen appliances, apparel and seafood (holdout54, docs/scan.md): a title's opening name
 * that the manufacturer holds before a maker's word, a fibre's content in the detail (锦纶100%)
 * that is no spec, counts to the jin as rates (20-25只/斤, 每斤30-40只, 10头), a compat list
 * whose first name the policy does not know (适配美的、苏泊尔), a steel grade after a price
 * label, 最高档 before a setting, a title's price per jin of the jin it states, a part code
 * copied onto another SKU, a mains voltage and a heel's height. Each positive with a near miss,
 * under the default policy. */
#include "scan_cases.h"

#define MADE(brand, maker)                                                                         \
    ",\"brand\":\"" brand "\",\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\","          \
    "\"manufacturer\":\"" maker "\""

static void test_brand__the_makers_own_name_opens_the_title(void **s)
{
    static const struct scase cases[] = {
        {"衣念 of 杭州衣念服饰有限公司 against brand 织语",
         L("apparel.women", "衣念 双面羊绒大衣 女 中长款", "秋冬新款，颜色：驼色。",
           MADE("织语", "杭州衣念服饰有限公司")),
         "consistency.brand"},
        {"美的 of 广东美的生活电器制造有限公司 against brand 苏泊尔",
         L("home.kitchen", "美的 电压力锅 5L 双胆", "双内胆，额定功率900W。",
           MADE("苏泊尔", "广东美的生活电器制造有限公司")),
         "consistency.brand"},
        {"the brand field is the maker's too: the name is the goods",
         L("apparel.women", "旗袍 改良 刺绣", "真丝面料，手工刺绣。",
           MADE("锦绣旗", "上海锦绣旗袍服饰有限公司")),
         ""},
        {"a cooperative named after its fruit",
         L("fresh.fruit", "猕猴桃 绿心 5斤", "当季现摘。",
           MADE("周至果园", "周至县猕猴桃专业合作社")),
         ""},
        {"the maker's name with no maker's word after the title's name",
         L("fresh.seafood", "俄罗斯 帝王蟹 腿 1kg", "熟冻。",
           MADE("远东海鲜", "俄罗斯远东渔业公司")),
         ""},
        {"the title opens with the brand itself",
         L("apparel.women", "织语 双面羊绒大衣", "秋冬新款。",
           MADE("织语", "杭州衣念服饰有限公司")),
         ""},
    };
    run_as(cases, sizeof cases / sizeof cases[0], true);
}

static void test_fibres__a_content_in_the_detail_is_no_spec(void **s)
{
    static const struct scase cases[] = {
        {"含绒量90% and the shell's 锦纶100%",
         L("apparel.women", "白鹅绒羽绒服 女 含绒量90% 充绒量220g",
           "含绒量90%，充绒量220g（M码），面料：锦纶100%。", ""),
         ""},
        {"含绒量90% against 含绒量80%",
         L("apparel.women", "白鹅绒羽绒服 女 含绒量90%", "规格：含绒量80%，充绒量200g。", ""),
         "consistency.spec"},
        {"the title's content against the short title's stays a spec",
         L("apparel.women", "瑜伽裤 锦纶82% 氨纶18%", "高腰设计。",
           ",\"short_title\":\"锦纶70% 瑜伽裤\""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_rates__pieces_to_the_jin(void **s)
{
    static const struct scase cases[] = {
        {"20-25只/斤 in a 2斤 box of 40-50只",
         L("fresh.seafood", "冷冻对虾 1kg装 20-25只/斤",
           "规格20-25只/斤，净重1kg（2斤）约40-50只。", ""),
         ""},
        {"每斤30-40只 against 40-50只/斤",
         L("fresh.seafood", "白对虾 每斤30-40只 净重4斤", "【规格】40-50只/斤", ""),
         "consistency.spec"},
        {"鲍鱼10头 against 12头/斤",
         L("fresh.seafood", "鲜活鲍鱼 10头 1斤装", "规格：12头/斤（一斤12只）", ""),
         "consistency.spec"},
        {"10头 and 10头/斤", L("fresh.seafood", "鲜活鲍鱼 10头 1斤装", "规格：10头/斤", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_brand__a_compat_list_opening_with_an_unknown_name(void **s)
{
    static const struct scase cases[] = {
        {"适配美的、苏泊尔",
         L("home.kitchen", "厨伴 电饭煲内胆 4L 通用替换", "适配美的、苏泊尔部分4L电饭煲。",
           ",\"brand\":\"厨伴\""),
         ""},
        {"苏泊尔 with no compat word",
         L("home.kitchen", "厨伴 电饭煲内胆 4L", "苏泊尔原厂内胆，不粘涂层。",
           ",\"brand\":\"厨伴\""),
         "consistency.brand"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_labels__grades_and_settings_are_no_price_or_claim(void **s)
{
    static const struct scase cases[] = {
        {"最低价 304不锈钢: the claim, and no price",
         L("home.kitchen", "电热水壶 1.5L 全网低价 最低价 304不锈钢", "304不锈钢内胆。",
           ",\"price\":\"49.90\""),
         "advertising.absolute_terms"},
        {"最低价 39元 against 49.90",
         L("home.kitchen", "电热水壶 1.5L 最低价 39元", "304不锈钢内胆。", ",\"price\":\"49.90\""),
         "advertising.absolute_terms consistency.price"},
        {"最高档2200W is a setting",
         L("home.kitchen", "电磁炉 2200W 10档调节", "10档火力，最高档2200W爆炒，最低档120W保温。",
           ""),
         ""},
        {"最高档的 as a rank", L("home.kitchen", "电磁炉 2200W", "市面上最高档的电磁炉。", ""),
         "advertising.absolute_terms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_prices__a_titles_price_per_jin_of_its_jin(void **s)
{
    static const struct scase cases[] = {
        {"29.9元/斤 5斤装 at 169.00",
         L("fresh.seafood", "宁德大黄鱼 29.9元/斤 5斤装 冰鲜整条", "单条约1斤。",
           ",\"price\":\"169.00\""),
         "consistency.price"},
        {"29.9元/斤 5斤装 at 149.50",
         L("fresh.seafood", "宁德大黄鱼 29.9元/斤 5斤装 冰鲜整条", "单条约1斤。",
           ",\"price\":\"149.50\""),
         ""},
        {"29.9元/斤 with no weight in the titles",
         L("fresh.seafood", "宁德大黄鱼 29.9元/斤 冰鲜整条", "单条约1斤。",
           ",\"price\":\"169.00\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_codes__a_part_code_copied_onto_another_sku(void **s)
{
    static const struct scase cases[] = {
        {"MB-FB40E511 against 型号：MB-FB30E511",
         L("home.kitchen", "电饭煲 MB-FB40E511 4L 智能IH加热", "型号：MB-FB30E511。容量4L。", ""),
         "consistency.facts"},
        {"the same code",
         L("home.kitchen", "电饭煲 MB-FB40E511 4L", "型号：MB-FB40E511。容量4L。", ""), ""},
        {"a code of another shape in the title",
         L("home.kitchen", "电饭煲 MB40 4L", "型号：MB-FB30E511。容量4L。", ""), ""},
        {"a list of codes in the detail",
         L("home.kitchen", "电饭煲 MB-FB40E511 4L", "型号：MB-FB30E511/MB-FB40E511", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_specs__a_mains_voltage_and_a_heels_height(void **s)
{
    static const struct scase cases[] = {
        {"220V against 额定电压110V",
         L("home.kitchen", "破壁机 1.75L 220V家用", "额定电压110V/60Hz，额定功率1200W。", ""),
         "consistency.spec"},
        {"220V and 220V~50Hz",
         L("home.kitchen", "破壁机 1.75L 220V家用", "额定电压220V~50Hz。", ""), ""},
        {"跟高5cm against 跟高约3cm",
         L("apparel.women", "尖头高跟鞋 女 跟高5cm 羊皮单鞋", "跟高约3cm，舒适不累脚。", ""),
         "consistency.spec"},
        {"the same heel", L("apparel.women", "尖头高跟鞋 跟高5cm", "跟高约5cm，舒适不累脚。", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brand__the_makers_own_name_opens_the_title),
        cmocka_unit_test(test_fibres__a_content_in_the_detail_is_no_spec),
        cmocka_unit_test(test_rates__pieces_to_the_jin),
        cmocka_unit_test(test_brand__a_compat_list_opening_with_an_unknown_name),
        cmocka_unit_test(test_labels__grades_and_settings_are_no_price_or_claim),
        cmocka_unit_test(test_prices__a_titles_price_per_jin_of_its_jin),
        cmocka_unit_test(test_codes__a_part_code_copied_onto_another_sku),
        cmocka_unit_test(test_specs__a_mains_voltage_and_a_heels_height),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
