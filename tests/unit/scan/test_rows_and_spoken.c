/* The thirty-sixth session's classes (docs/scan.md): a model's and a manufacturer's label as a
 * table's cell (型号 X20｜内存 12GB), a country's goods imported in their own can (新西兰原罐进口).
 * Each listing with the rules it must fire and no other, under the default policy; each positive
 * with a near miss. */
#include "scan_cases.h"

static void test_cells_and_imports(void **s)
{
    static const struct scase cases[] = {
        {"a model in a row of cells, a space after its label",
         L("digital.phones", "星耀 X20 Pro 5G 12+512GB", "参数：型号 X20｜内存 12GB+512GB", ""),
         "consistency.facts"},
        {"the titles' model in such a row",
         L("digital.phones", "星耀 X20 Pro 5G 12+512GB", "参数：型号 X20 Pro｜内存 12GB+512GB", ""),
         ""},
        {"a model's word in running text, no row",
         L("digital.phones", "星耀 X20 Pro 5G 12+512GB", "型号 X20 的老用户也可以换购", ""), ""},
        {"a model after a cell's bar",
         L("home.kitchen", "家电宝 电饭煲 JD-5088 4L", "型号｜JD-5066\\n容量｜4L", ""),
         "consistency.facts"},
        {"goods imported in their own can against a home origin",
         L("baby.formula", "羊羊乐 新西兰原罐进口 婴儿羊奶粉 1段 800g",
           "参数：段位 1段｜净含量 800g｜产地 黑龙江", ""),
         "consistency.attributes"},
        {"a milk source imported, made at home",
         L("baby.formula", "羊羊乐 新西兰进口奶源 婴儿羊奶粉 1段 800g",
           "参数：段位 1段｜净含量 800g｜产地 黑龙江", ""),
         ""},
        {"a price said after its label and a comma",
         L("fresh.seafood", "渔鲜生 冷冻黑虎虾 1kg", "直播间福利价，一百九十八！",
           ",\"price\":\"168.00\""),
         "consistency.price"},
        {"the listing's price said so",
         L("fresh.seafood", "渔鲜生 冷冻黑虎虾 1kg", "直播间福利价，一百六十八！",
           ",\"price\":\"168.00\""),
         ""},
        {"a price label, a comma and a pack",
         L("fresh.seafood", "渔鲜生 冷冻黑虎虾 1kg", "福利价，2斤装更划算",
           ",\"price\":\"168.00\""),
         ""},
        {"a price label, a comma and a price from",
         L("fresh.seafood", "渔鲜生 冷冻黑虎虾 1kg", "福利价，99元起", ",\"price\":\"168.00\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_maker_cells(void **s)
{
    static const struct scase cases[] = {
        {"a manufacturer in a row of cells",
         L("food.snacks", "味享 牛肉干 200g", "净含量 200g｜生产商 杭州味享食品有限公司｜产地 浙江",
           ",\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\",\"manufacturer\":"
           "\"绍兴味享食品有限公司\""),
         "consistency.facts"},
        {"the listing's manufacturer in such a row",
         L("food.snacks", "味享 牛肉干 200g", "净含量 200g｜生产商 绍兴味享食品有限公司｜产地 浙江",
           ",\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\",\"manufacturer\":"
           "\"绍兴味享食品有限公司\""),
         ""},
        {"a manufacturer's word in running text, no row",
         L("food.snacks", "味享 牛肉干 200g", "生产商 杭州味享食品有限公司供货多年",
           ",\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\",\"manufacturer\":"
           "\"绍兴味享食品有限公司\""),
         ""},
    };
    run_as(cases, sizeof cases / sizeof cases[0], true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_and_imports),
        cmocka_unit_test(test_maker_cells),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
