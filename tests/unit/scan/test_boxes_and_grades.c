/* Year-end gift boxes and origin-direct sellers (holdout52, docs/scan.md): size grades that
 * meet at one end (单果75-80mm against 单果80-85mm), a fruit's size without 单果 (80mm大果,
 * 单果直径, 果径), a net weight against the titles' gross and net pair, a fibre's content
 * written percentage first (70%羊毛), a version label (版本：Pro 1) as a model, a set's
 * stated total that ends its list (，共3件，均适用燃气灶和电磁炉), and a title's bracketed brand
 * holding a one-character tag word inside its name (【良品记】).
 * Each positive with a near miss, under the default policy. */
#include "scan_cases.h"

static void test_ranges__grades_that_meet_at_one_end(void **s)
{
    static const struct scase cases[] = {
        {"单果80-85mm against 单果75-80mm",
         L("fresh.fruit", "红富士苹果 5斤装 单果80-85mm", "规格：单果75-80mm，约12个", ""),
         "consistency.spec"},
        {"30-40只/斤 against 40-50只/斤",
         L("fresh.seafood", "基围虾 2斤装 30-40只/斤", "规格：40-50只/斤", ""), "consistency.spec"},
        {"the same range", L("fresh.fruit", "红富士苹果 单果80-85mm", "规格：单果80-85mm", ""), ""},
        {"ranges that overlap", L("fresh.fruit", "贵妃芒 单果300-400g", "规格：单果350-400g", ""),
         ""},
        {"a point at the range's end",
         L("fresh.seafood", "基围虾 30-40只/斤", "规格：约40只/斤", ""), ""},
        {"both grades offered",
         L("fresh.seafood", "基围虾 2斤装 30-40只/斤", "规格：30-40只/斤 或 40-50只/斤 可选", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_sizes__a_fruits_size_however_it_is_labelled(void **s)
{
    static const struct scase cases[] = {
        {"单果 in the title, 单果直径 in a sentence after the weight",
         L("fresh.fruit", "红富士苹果 5斤装 单果80-85mm",
           "规格：5斤（2.5kg），单果直径75-80mm，约12-14个。", ""),
         "consistency.spec"},
        {"单果80mm+ against 果径65-70mm",
         L("fresh.fruit", "果冻橙 单果80mm+ 5斤", "规格：果径65-70mm", ""), "consistency.spec"},
        {"80mm大果 against 果径65-70mm",
         L("fresh.fruit", "80mm大果 果冻橙 5斤", "规格：果径65-70mm，净重5斤", ""),
         "consistency.spec"},
        {"85mm大果 with the box's weight after it",
         L("fresh.fruit", "红富士苹果 85mm大果 10斤", "果径75-80mm，脆甜多汁", ""),
         "consistency.spec"},
        {"the same size both ways",
         L("fresh.fruit", "80mm大果 果冻橙 5斤", "规格：果径80mm以上，净重5斤", ""), ""},
        {"a weight before 大果 is the box's, not a fruit's",
         L("fresh.fruit", "砂糖橘 5斤大果", "规格：单果约100g，净重5斤", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_weights__net_against_the_titles_gross_and_net(void **s)
{
    static const struct scase cases[] = {
        {"净重5斤 against 毛重5斤 净重4.5斤",
         L("fresh.seafood", "大黄鱼礼盒 毛重5斤 净重4.5斤", "礼盒规格：净重5斤（4条）", ""),
         "consistency.spec"},
        {"the same pair in the detail",
         L("fresh.seafood", "大黄鱼礼盒 毛重5斤 净重4.5斤", "规格：毛重5斤，净重4.5斤", ""), ""},
        {"a weight said neither way agrees with the net",
         L("fresh.seafood", "大黄鱼 5斤", "规格：净重5斤", ""), ""},
        {"gross in the title, the same number net in the detail: no pair to compare",
         L("fresh.seafood", "大黄鱼 毛重5斤", "规格：净重5斤", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_fibres__a_content_written_percentage_first(void **s)
{
    static const struct scase cases[] = {
        {"70%羊毛 against 羊毛50%",
         L("apparel.women", "70%羊毛双面呢大衣女 驼色", "面料成分：羊毛50% 聚酯纤维50%。", ""),
         "consistency.spec"},
        {"the same content", L("apparel.women", "70%羊毛大衣", "面料：羊毛70% 聚酯纤维30%", ""),
         ""},
        {"95%棉 5%氨纶: the 5% is the next fibre's",
         L("apparel.women", "95%棉 5%氨纶 T恤女", "成分：棉95% 氨纶5%", ""), ""},
        {"the old content sold out, the title's stated too",
         L("apparel.women", "羊毛混纺针织衫 50%羊毛 新版",
           "面料调整：旧版70%羊毛已售完，新版成分为羊毛50%、锦纶30%、粘纤20%。", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_codes__a_version_label_states_a_model(void **s)
{
    static const struct scase cases[] = {
        {"Pro 2 in the title, 版本：Pro 1 in the detail",
         L("digital.phones", "迅达 降噪蓝牙耳机 Pro 2 新年礼盒版",
           "版本：Pro 1（第一代）。续航6小时。", ""),
         "consistency.facts"},
        {"the same version", L("digital.phones", "降噪耳机 Pro 2", "版本：Pro 2（第二代）", ""),
         ""},
        {"a market version is no model",
         L("digital.phones", "Redmi K70 16+512G", "【版本】国行正品 全国联保", ""), ""},
        {"a system version is no model",
         L("digital.phones", "iPhone 15 128G", "版本：iOS 17.2 系统", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_sets__a_stated_total_ends_the_list(void **s)
{
    static const struct scase cases[] = {
        {"三件套 with 共3件 and a sentence after it",
         L("home.kitchen", "不锈钢汤锅套装 三件套 16/20/24cm",
           "套装：16cm奶锅、20cm汤锅、24cm汤锅，共3件，均适用燃气灶和电磁炉。", ""),
         ""},
        {"四件套 with three before the total (the spec check reads 共3件 first)",
         L("home.kitchen", "不锈钢汤锅套装 四件套",
           "套装：16cm奶锅、20cm汤锅、24cm汤锅，共3件，均适用燃气灶和电磁炉。", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_brand__a_tags_name_holding_a_common_character(void **s)
{
    static const struct scase cases[] = {
        {"【良品记】 against the brand 百味坊",
         L("food.snacks", "【良品记】年货零食大礼包 20袋", "大礼包共20袋",
           ",\"brand\": \"百味坊\""),
         "consistency.brand"},
        {"【正品】: the character ends the tag",
         L("food.snacks", "【正品】年货零食大礼包 20袋", "大礼包共20袋", ",\"brand\": \"百味坊\""),
         ""},
        {"【新品上市】: the character starts it",
         L("food.snacks", "【新品上市】年货零食大礼包", "大礼包共20袋", ",\"brand\": \"百味坊\""),
         ""},
        {"【十大品牌之首】: a claim, not a name",
         L("home.kitchen", "【十大品牌之首】智能电饭煲", "4升，一年质保", ",\"brand\": \"谷香\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_dates__a_titles_new_date_against_the_field(void **s)
{
    static const struct scase cases[] = {
        {"2025年12月新日期 against 2025-06-01",
         L("food.snacks", "2025年12月新日期 山楂条 500g", "保质期：9个月",
           ",\"production_date\": \"2025-06-01\",\"quality_cert\": \"q\",\"manufacturer\": \"m\""),
         "consistency.facts"},
        {"the same month",
         L("food.snacks", "2025年10月新日期 山楂条 500g", "保质期：9个月",
           ",\"production_date\": \"2025-10-12\",\"quality_cert\": \"q\",\"manufacturer\": \"m\""),
         ""},
        {"新日期 with no date",
         L("food.snacks", "山楂条 500g 新日期", "保质期：9个月",
           ",\"production_date\": \"2025-10-12\",\"quality_cert\": \"q\",\"manufacturer\": \"m\""),
         ""},
    };
    run_as(cases, sizeof cases / sizeof cases[0], true); /* its own production_date */
}

/* holdout53's (mother-and-baby, health and phone-accessory shops) */
static void test_accessories__lengths_capacities_and_fittings(void **s)
{
    static const struct scase cases[] = {
        {"a cable's 1m against 线长：2米",
         L("digital.phones", "Type-C数据线 1m 快充 3A", "线长：2米。电流：3A。", ""),
         "consistency.spec"},
        {"the same length both ways",
         L("digital.phones", "Type-C数据线 1m 快充", "线长：100cm", ""), ""},
        {"a speed in MB is no length (the unit runs on into a capital letter)",
         L("digital.phones", "移动固态硬盘 1TB 读速1050MB/s", "尺寸：85×55×9mm", ""), ""},
        {"a speed without its B is past the length's most (100 m)",
         L("digital.phones", "移动固态硬盘 1TB 读速1050M", "尺寸：85×55×9mm", ""), ""},
        {"a 3.5mm jack is a fitting's size",
         L("digital.phones", "Type-C 转 3.5mm 耳机转接头", "线长10cm，支持通话", ""), ""},
        {"a power bank's cell and rated capacity",
         L("digital.phones", "充电宝 10000mAh 22.5W",
           "电芯容量：10000mAh（3.7V/37Wh）；额定容量：6000mAh（5V⎓3A）。", ""),
         ""},
        {"38片×2包 against a total of 96 beside 每包38片",
         L("baby.formula", "拉拉裤 XL 38片×2包 整箱", "整箱2包装，每包38片，共计96片。", ""),
         "consistency.spec"},
        {"the same total", L("baby.formula", "拉拉裤 XL 38片×2包 整箱", "每包38片，共计76片。", ""),
         ""},
        {"a total beside the piece when the titles state no total of their own",
         L("food.snacks", "坚果 每日坚果 25g", "规格：每袋25g，共30袋，共计750g", ""), ""},
        {"a capacity the detail states alone",
         L("digital.phones", "充电宝 10000mAh 22.5W", "电芯容量：5000mAh", ""), "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges__grades_that_meet_at_one_end),
        cmocka_unit_test(test_sizes__a_fruits_size_however_it_is_labelled),
        cmocka_unit_test(test_weights__net_against_the_titles_gross_and_net),
        cmocka_unit_test(test_fibres__a_content_written_percentage_first),
        cmocka_unit_test(test_codes__a_version_label_states_a_model),
        cmocka_unit_test(test_sets__a_stated_total_ends_the_list),
        cmocka_unit_test(test_brand__a_tags_name_holding_a_common_character),
        cmocka_unit_test(test_dates__a_titles_new_date_against_the_field),
        cmocka_unit_test(test_accessories__lengths_capacities_and_fittings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
