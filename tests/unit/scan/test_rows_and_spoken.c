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

static void test_second_round(void **s)
{
    static const struct scase cases[] = {
        {"a ram in a bracketed cell against the title's",
         L("digital.phones", "星澜 S15 5G 12GB+256GB", "【运行内存】8GB\\n【机身存储】256GB", ""),
         "consistency.spec"},
        {"the title's ram in such a cell",
         L("digital.phones", "星澜 S15 5G 12GB+256GB", "【运行内存】12GB\\n【机身存储】256GB", ""),
         ""},
        {"a price the title says it went down to",
         L("digital.phones", "悦米 Y18 8GB+256GB 直降到手1999", "型号 Y18",
           ",\"price\":\"2199.00\""),
         "consistency.price"},
        {"an amount off before the price",
         L("digital.phones", "悦米 Y18 8GB+256GB 直降200到手1999", "型号 Y18",
           ",\"price\":\"2199.00\""),
         ""},
        {"skin said to turn white",
         L("beauty.makeup", "奶油肌素颜霜 50g", "长期使用皮肤真的会变白，黑黄肌也能白回来", ""),
         "efficacy.cosmetic_claims"},
        {"a tone-up said as makeup",
         L("beauty.makeup", "奶油肌素颜霜 50g", "一抹提亮，轻薄不假白", ""), ""},
        {"pounds flung off", L("food.snacks", "代餐奶昔 12袋", "一个月狂甩15斤", ""),
         "efficacy.food_claims"},
        {"obesity to be done with", L("food.snacks", "代餐奶昔 12袋", "一餐一袋，告别肥胖", ""),
         "efficacy.medical_claims"},
        {"free shipping in English against a freight",
         L("digital.phones", "磁吸充电宝 10000mAh free shipping", "容量：10000mAh",
           ",\"freight\":\"6.00\""),
         "consistency.free_shipping"},
        {"the best taste as a boast",
         L("food.snacks", "手剥山核桃 300g", "当季新货，口感最佳的山核桃", ""),
         "advertising.absolute_terms"},
        {"the best taste as advice",
         L("food.snacks", "蛋黄酥 6枚", "建议收到后一周内食用口感最佳", ""), ""},
        {"parts a comma joins, their total the title's",
         L("fresh.seafood", "阳澄湖大闸蟹 公4.0两 母3.0两 8只",
           "规格：公蟹4.0两×4只，母蟹3.0两×4只，共8只", ""),
         ""},
        {"parts a comma joins, their total another",
         L("fresh.seafood", "阳澄湖大闸蟹 公4.0两 母3.0两 8只",
           "规格：公蟹4.0两×4只，母蟹3.0两×3只，共7只", ""),
         "consistency.spec"},
        {"a gift box's weights that add up to the title's",
         L("food.snacks", "坚果礼盒 1.5kg",
           "礼盒内含：夏威夷果250g、碧根果250g、巴旦木200g、开心果200g、腰果150g、核桃仁150g、"
           "蔓越莓干150g、黄桃干150g",
           ""),
         ""},
        {"a gift box's weights that do not",
         L("food.snacks", "坚果礼盒 1.5kg",
           "礼盒内含：夏威夷果250g、碧根果250g、巴旦木200g、开心果200g、腰果150g、核桃仁150g、"
           "蔓越莓干150g、黄桃干200g",
           ""),
         "consistency.spec"},
        {"an ingredient's content in the title",
         L("health.supplements", "鱼油软胶囊 100粒 每粒含EPA+DHA 600mg", "规格：1000mg×100粒", ""),
         ""},
        {"a weight in the title",
         L("health.supplements", "鱼油软胶囊 100粒 600mg", "规格：1000mg×100粒", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_and_imports),
        cmocka_unit_test(test_maker_cells),
        cmocka_unit_test(test_second_round),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
