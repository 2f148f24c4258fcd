/* Variants, sets and unit prices (holdout58, docs/scan.md): a list of variants with their own
 * prices or amounts names the listing's among others; a price per unit worked out from the
 * price must come back to it; an amount off, a least order and money are no price or count of
 * the listing. Each positive with a near miss, under the default policy. */
#include "scan_cases.h"

#define P(price) ",\"price\":\"" price "\""

static void test_prices__a_list_of_variants_prices(void **s)
{
    static const struct scase cases[] = {
        {"400g ¥168 / 800g ¥298 of a listing at 168",
         L("baby.formula", "婴儿配方奶粉 400g/800g", "规格：400g ¥168 / 800g ¥298。", P("168.00")),
         ""},
        {"memory variants parted by ；",
         L("digital.phones", "5G手机 12GB+256GB",
           "可选规格：8GB+256GB ¥3299；12GB+256GB ¥3599；12GB+512GB ¥3999。", P("3599.00")),
         ""},
        {"colours as names", L("home.kitchen", "保温杯 黑色", "黑色 ¥99 / 白色 ¥109。", P("99.00")),
         ""},
        {"no variant at the listing's price",
         L("baby.formula", "婴儿配方奶粉 400g", "规格：400g ¥188 / 800g ¥298。", P("168.00")),
         "consistency.price"},
        {"原 and 现 are no variants: 现¥49.9 of a listing at 59.9",
         L("fresh.fruit", "阳光玫瑰葡萄 2斤", "价格调整：原¥59.9，现¥49.9。", P("59.90")),
         "consistency.price"},
        {"a price label in the list is no variant",
         L("home.kitchen", "保温杯 500ml", "日常价 ¥129 / 活动价 ¥109。", P("99.00")),
         "consistency.price"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_prices__amounts_off_units_and_totals(void **s)
{
    static const struct scase cases[] = {
        {"立减¥30 is an amount off",
         L("health.supplements", "乳清蛋白粉 2磅", "售价¥99，领券立减¥30，券后¥69。", P("99.00")),
         ""},
        {"单罐¥200, 2罐9折 of a listing at 360",
         L("baby.formula", "婴儿配方奶粉 800g×2罐", "单罐¥200，2罐9折合计¥360。", P("360.00")), ""},
        {"单件¥599 of a listing at 599",
         L("apparel.women", "羊毛大衣 2件 ¥1118 单件¥599", "单件599元。", P("599.00")), ""},
        {"3件起批 is a least order, not a pack of three",
         L("food.snacks", "绿豆饼 3件起批 批发价¥8.5/件", "每件1盒，3件合计¥25.5。", P("8.50")),
         ""},
        {"3件合计 at another price",
         L("food.snacks", "绿豆饼 3件起批", "3件合计¥29.9。", P("8.50")), "consistency.price"},
        {"¥298/只 of a listing at 398",
         L("fresh.seafood", "帝王蟹 ¥298/只 鲜活", "1只装，约4斤。", P("398.00")),
         "consistency.price"},
        {"10只 ¥138 of a listing at 168 (the pieces it sells)",
         L("fresh.seafood", "鲜活鲍鱼 10只 ¥138", "单只约40-50g。", P("168.00")),
         "consistency.price"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_prices__a_price_per_unit_worked_out(void **s)
{
    static const struct scase cases[] = {
        {"折合¥2.5/包 of 30包 at 99",
         L("food.snacks", "每日坚果 25g×30包 折合¥2.5/包", "每包25g，共30包。", P("99.00")),
         "consistency.price"},
        {"折合¥3.3/包 of 30包 at 99: rounded",
         L("food.snacks", "每日坚果 25g×30包 折合¥3.3/包", "每包25g，共30包。", P("99.00")), ""},
        {"折合16.5元/盒 of 6盒 at 129, with no price label anywhere",
         L("food.snacks", "牛轧糖 6盒装 折合16.5元/盒", "规格：200g/盒×6盒。", P("129.00")),
         "consistency.price"},
        {"折合21.5元/盒 of 6盒 at 129",
         L("food.snacks", "牛轧糖 6盒装 折合21.5元/盒", "规格：200g/盒×6盒。", P("129.00")), ""},
        {"折合约¥2/袋 of 10袋 at 19.9: rounded, and money is no count",
         L("food.snacks", "软糖 20g×10袋 共200g", "每袋20g共200g。折合约¥2/袋。", P("19.90")), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_specs__lists_of_variants_and_each(void **s)
{
    static const struct scase cases[] = {
        {"3斤装 / 5斤装 / 15斤装 with prices, of a 15斤 listing",
         L("fresh.fruit", "沃柑 15斤装",
           "规格：3斤装 ¥19.9 / 5斤装 ¥29.9 / 15斤装 ¥79.9；单果60-70mm。", P("79.90")),
         ""},
        {"the title's amount in no list: 3斤装 against 15斤",
         L("fresh.fruit", "沃柑 15斤装", "规格：3斤装，单果60-70mm。", P("79.90")),
         "consistency.spec"},
        {"cells of a table are no variants",
         L("beauty.skincare", "爽肤水100ml", "净含量=100ml|保质期=3年;净含量=150ml|保质期=3年", ""),
         "consistency.spec"},
        {"各150g，共6袋 of 900g",
         L("food.snacks", "坚果礼盒 6袋装 900g", "内含六种坚果，各150g，共6袋900g。", ""), ""},
        {"a nutrient's amount is a serving's: 蛋白质 12g against a 60g bar",
         L("food.snacks", "蛋白棒 60g", "营养成分：蛋白质 12g，脂肪 8g。", ""), ""},
        {"大能量 before a battery's capacity is no nutrient: 20000mAh against 10000mAh",
         L("digital.phones", "超大能量20000mAh 充电宝", "电池容量：10000mAh。", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_facts__a_model_then_another_fact(void **s)
{
    static const struct scase cases[] = {
        {"产品型号：BL-660，容量1.75L against BL-680",
         L("home.kitchen", "破壁机 BL-680 1.75L", "产品型号：BL-660，容量1.75L，功率1000W。", ""),
         "consistency.facts"},
        {"a list of models after a comma names the title's",
         L("home.kitchen", "破壁机 BL-680 1.75L", "适用型号：BL-660，BL-680。", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prices__a_list_of_variants_prices),
        cmocka_unit_test(test_prices__amounts_off_units_and_totals),
        cmocka_unit_test(test_prices__a_price_per_unit_worked_out),
        cmocka_unit_test(test_specs__lists_of_variants_and_each),
        cmocka_unit_test(test_facts__a_model_then_another_fact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
