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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_specs__each_containers_amount_times_their_count),
        cmocka_unit_test(test_phones__a_codes_label_makes_its_digits_a_code),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
