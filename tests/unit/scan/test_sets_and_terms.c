/* Gift sets, creators' notes and service terms (holdout56 and holdout57, docs/scan.md): an
 * amount of each container and the count of the containers said apart (每包25g，共30包) state
 * the whole as 25g×30包 does. Each positive with a near miss, under the default policy. */
#include "scan_cases.h"

static void test_specs__each_containers_amount_times_their_count(void **s)
{
    static const struct scase cases[] = {
        {"每包25g，共30包 of a 750g box",
         L("food.snacks", "每日坚果 750g 礼盒装", "规格：每包25g，共30包。独立包装。", ""), ""},
        {"25g/包，30包 of a 750g box",
         L("food.snacks", "每日坚果 750g 礼盒装", "规格：25g/包，30包。", ""), ""},
        {"the count before 每: 共30包，每包约25g",
         L("food.snacks", "每日坚果 750g 礼盒装", "规格：共30包，每包约25g。", ""), ""},
        {"每盒2瓶，共3盒 of six bottles",
         L("health.supplements", "鱼油软胶囊 6瓶装", "规格：每盒2瓶，共3盒。", ""), ""},
        {"每包25g，共20包 against 750g",
         L("food.snacks", "每日坚果 750g 礼盒装", "规格：每包25g，共20包。", ""),
         "consistency.spec"},
        {"the count in another sentence multiplies nothing",
         L("food.snacks", "每日坚果 750g 礼盒装", "规格：每包25g。另有30包装可选。", ""),
         "consistency.spec"},
        {"250g/袋，2袋 against 500g×2袋: the per-bag 500g is not stated",
         L("food.snacks", "牛肉干 500g×2袋", "规格｜250g/袋　数量｜2袋", ""), "consistency.spec"},
        {"a rate is no container: 30-40只/斤 … 2斤 against 40-50只/斤",
         L("fresh.seafood", "黑虎虾 30-40只/斤 冷冻 2斤", "规格：40-50只/斤", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_phones__a_codes_label_makes_its_digits_a_code(void **s)
{
    static const struct scase cases[] = {
        {"批号：13820240518 is a batch",
         L("beauty.skincare", "修护面霜 50g", "批号：13820240518，备案号：粤G妆网备字2024012345。",
           ""),
         ""},
        {"生产批号 with a space", L("beauty.skincare", "修护面霜 50g", "生产批号 13820240518", ""),
         ""},
        {"the next number after the batch is still a phone",
         L("beauty.skincare", "修护面霜 50g", "批号13820240518，客服13820240519", ""),
         "diversion.phone"},
        {"no label: a phone", L("beauty.skincare", "修护面霜 50g", "联系13820240518", ""),
         "diversion.phone"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_specs__an_ingredients_percentage(void **s)
{
    static const struct scase cases[] = {
        {"烟酰胺5% against 核心成分：烟酰胺10%",
         L("beauty.skincare", "烟酰胺5%精华水 200ml", "核心成分：烟酰胺10% + 泛醇，200ml大瓶装。",
           ""),
         "consistency.spec"},
        {"VC10% against 左旋VC 15%",
         L("beauty.skincare", "VC10%精华液 30ml", "成分：左旋VC 15% + 阿魏酸", ""),
         "consistency.spec"},
        {"the same percentage said with its word between",
         L("beauty.skincare", "烟酰胺5%精华水", "烟酰胺浓度5%，温和不刺激。", ""), ""},
        {"percentage first, and another variant named",
         L("beauty.skincare", "5%烟酰胺精华水", "烟酰胺5%。另有烟酰胺10%款可选。", ""), ""},
        {"a bound is no concentration",
         L("food.snacks", "橙汁 果汁含量100% 1L", "果汁含量≥30%", ""), ""},
        {"another ingredient's percentage says nothing",
         L("beauty.skincare", "烟酰胺5%精华水", "积雪草提取物10%，泛醇2%。", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_specs__a_doses_days(void **s)
{
    static const struct scase cases[] = {
        {"60片 at 3 a day against 一瓶吃2个月",
         L("health.supplements", "维生素C咀嚼片 60片/瓶 一瓶吃2个月",
           "食用方法：每日3次，每次1片。", ""),
         "consistency.spec"},
        {"30条 at 早晚各一条 against 一盒吃一个月",
         L("health.supplements", "益生菌 30条/盒 一盒吃一个月 早晚各一条", "规格：2g×30条", ""),
         "consistency.spec"},
        {"90片 at 3 a day last a month",
         L("health.supplements", "维生素C片 90片 每日3片 一瓶吃一个月",
           "规格：1g×90片｜每日3次，每次1片，一瓶约30天", ""),
         ""},
        {"60粒×2 at 2 a day last two months",
         L("health.supplements", "叶黄素软糖 60粒×2", "一天2粒，可以吃两个月", ""), ""},
        {"no days said: nothing to compare",
         L("health.supplements", "维生素C片 60片", "每日3片。", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_facts__editions_concentrations_models_and_skus(void **s)
{
    static const struct scase cases[] = {
        {"EDP against 浓度：EDT淡香水",
         L("beauty.makeup", "EDP浓香水 50ml 木质调", "规格：50ml｜浓度：EDT淡香水", ""),
         "consistency.attributes"},
        {"EDP and 浓香水", L("beauty.makeup", "EDP浓香水 50ml", "浓度：浓香水（EDP）", ""), ""},
        {"圣诞限定版 against 本链接为常规版",
         L("beauty.makeup", "圣诞限定版 口红礼盒 3支装", "发货说明：本链接为常规版礼盒。", ""),
         "consistency.attributes"},
        {"a beauty device's model",
         L("beauty.skincare", "家用导入美容仪 型号LX-300", "产品型号：LX-200｜额定功率：5W", ""),
         "consistency.facts"},
        {"a shade after SKU：",
         L("beauty.makeup", "丝绒口红 #02 焦糖奶茶", "本链接SKU：#05 复古正红 3.5g", ""),
         "consistency.facts"},
        {"the SKU's shade is the title's",
         L("beauty.makeup", "丝绒口红 #02 焦糖奶茶", "本链接SKU：#02 焦糖奶茶 3.5g", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_specs__each_containers_amount_times_their_count),
        cmocka_unit_test(test_phones__a_codes_label_makes_its_digits_a_code),
        cmocka_unit_test(test_specs__an_ingredients_percentage),
        cmocka_unit_test(test_specs__a_doses_days),
        cmocka_unit_test(test_facts__editions_concentrations_models_and_skus),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
