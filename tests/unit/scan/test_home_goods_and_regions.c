/* Home goods, side lines and shops of Hong Kong, Macau and Taiwan (docs/scan.md, holdout75's to
 * holdout77's classes): what home goods are made of, a short title opening with another brand, a
 * model after its brand, a set's list on the line after its label, an ingredient's share of each
 * bottle, a bare 寸 as the cun, an approved function as its label's value,
 * 满1件包邮, elegant absolutes and endorsements, Cantonese characters. Each listing with the rules
 * it must fire and no other, under the default policy; each positive with a near miss. */
#include "scan_cases.h"

static void test_materials_of_home_goods(void **s)
{
    static const struct scase cases[] = {
        {"a ceramic pot made of plastic",
         L("home.kitchen", "陶瓷 花盆 口径12cm 阳台", "材质：PP塑料\\n口径：12cm", ""),
         "consistency.attributes"},
        {"a ceramic pot made of ceramic",
         L("home.kitchen", "陶瓷 花盆 口径12cm 阳台", "材质：陶瓷 釉面\\n口径：12cm", ""), ""},
        {"a glass lid on an aluminium pan",
         L("home.kitchen", "不粘炒锅 玻璃盖 30cm", "材质：铝合金\\n口径：30cm", ""), ""},
        {"a ceramic coating",
         L("home.kitchen", "陶瓷涂层 不粘锅 28cm", "材质：铝合金\\n口径：28cm", ""), ""},
        {"a part's material said before the word 材质",
         L("home.kitchen", "耐热玻璃 保鲜盒 3件套", "盖子是PP材质，带硅胶圈", ""), ""},
        {"imitation porcelain is melamine",
         L("home.kitchen", "仿瓷 餐盘 10寸 6个", "材质：密胺", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_titles_models_and_sets(void **s)
{
    static const struct scase cases[] = {
        {"a short title opening with another brand",
         L("baby.formula", "云朵牧场 羊奶粉 3段 800g", "规格：800g",
           ",\"short_title\": \"青禾 羊奶粉3段\", \"brand\": \"云朵牧场\""),
         "consistency.brand"},
        {"a short title opening with the goods",
         L("fresh.seafood", "海之宴 海参 即食 500g", "规格：500g",
           ",\"short_title\": \"即食海参 500g\", \"brand\": \"海之宴\""),
         ""},
        {"a model after its brand",
         L("digital.phones", "朗星 K70 Pro 5G手机 12+256GB", "型号：朗星 K60 Pro\\n屏幕：6.7英寸",
           ""),
         "consistency.facts"},
        {"the same model after its brand",
         L("digital.phones", "朗星 K70 Pro 5G手机 12+256GB", "型号：朗星 K70 Pro\\n屏幕：6.7英寸",
           ""),
         ""},
        {"a set's list on the line after its label",
         L("home.kitchen", "厨房刀具7件套 家用",
           "【套装包含】\\n菜刀、砍骨刀、水果刀、剪刀、磨刀棒、刀座", ""),
         "consistency.gifts"},
        {"a list that adds up",
         L("home.kitchen", "厨房刀具6件套 家用",
           "【套装包含】\\n菜刀、砍骨刀、水果刀、剪刀、磨刀棒、刀座", ""),
         ""},
        {"cups a sachet makes are no count of the pack",
         L("food.snacks", "冲调奶茶 20杯装", "规格：10袋，每袋可冲2杯", ""), ""},
        {"a kitchen set's pieces two to a line are not read",
         L("home.kitchen", "锅具4件套", "4件套包含：\\n炒锅×1 汤锅×1\\n锅铲×1 汤勺×1", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_amounts_said_twice(void **s)
{
    static const struct scase cases[] = {
        {"an ingredient's share of each bottle",
         L("food.snacks", "冰糖雪梨 即食 200g×6瓶",
           "每瓶含雪梨果肉30g\\n清甜，解腻\\n规格：200g×6瓶", ""),
         ""},
        {"each bottle said otherwise",
         L("food.snacks", "冰糖雪梨 即食 200g×6瓶", "净含量：180g×6瓶\\n清甜，解腻", ""),
         "consistency.spec"},
        {"a bare 寸 as the cun", L("home.kitchen", "陶瓷花盆 9寸", "口径：9寸（约30cm）", ""), ""},
        {"a bare 寸 as neither", L("home.kitchen", "陶瓷花盆 9寸", "口径：9寸（约40cm）", ""),
         "consistency.spec"},
        {"a pot's height is not its diameter",
         L("home.kitchen", "不锈钢汤锅 24cm 复底", "锅深：12cm\\n高度：13cm", ""), ""},
        {"a net weight in each box is the contents",
         L("fresh.fruit", "烟台红富士苹果 10斤装", "规格：每箱含苹果净重5斤", ""),
         "consistency.spec"},
        {"a fibre alone after its cell",
         L("apparel.women", "桑蚕丝 衬衫 女 长袖", "【面料成分】聚酯纤维（仿真丝）\\n【尺码】S/M/L",
           ""),
         "consistency.spec"},
        {"imitation silk called so",
         L("apparel.women", "仿真丝 衬衫 女 长袖", "【面料成分】聚酯纤维\\n【尺码】S/M/L", ""), ""},
        {"free shipping from one piece against a freight",
         L("food.snacks", "椰子脆片 100g×3袋", "满1件包邮，拍下即发", ",\"freight\": \"6.00\""),
         "consistency.free_shipping"},
        {"free shipping from one piece, said as a consequence",
         L("food.snacks", "牛肉干 250g", "满1件即可包邮", ",\"freight\": \"12.00\""),
         "consistency.free_shipping"},
        {"free shipping once a condition is met",
         L("food.snacks", "牛肉干 250g", "满足条件即可包邮", ",\"freight\": \"12.00\""), ""},
        {"free shipping from two pieces",
         L("food.snacks", "椰子脆片 100g×3袋", "满2件包邮", ",\"freight\": \"6.00\""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_words_of_health_food_and_regions(void **s)
{
    static const struct scase cases[] = {
        {"an approved function as its label's value",
         L("health.supplements", "深海鱼油软胶囊 100粒",
           "【保健功能】辅助降血脂\\n本品不能代替药物", ""),
         ""},
        {"the same label on a snack registers nothing",
         L("food.snacks", "苦荞茶 代用茶 30包", "【保健功能】辅助降血糖\\n每日两包", ""),
         "efficacy.medical_claims"},
        {"the same words as a promise",
         L("health.supplements", "深海鱼油软胶囊 100粒", "三高人群每天两粒，辅助降血脂", ""),
         "efficacy.medical_claims"},
        {"an elegant absolute",
         L("beauty.makeup", "丝绒口红 3.5g", "显色度之高，同价位中无出其右", ""),
         "advertising.absolute_terms"},
        {"state media's praise", L("food.snacks", "手撕牛肉干 250g", "新华社点赞的草原好物", ""),
         "advertising.absolute_terms"},
        {"a doctor's recommendation in Cantonese",
         L("health.supplements", "益生菌 30包", "腸胃科醫生推介", ""),
         "advertising.absolute_terms"},
        {"cheapest in all of Hong Kong", L("apparel.women", "港風 西裝外套 女", "全港最平", ""),
         "advertising.absolute_terms"},
        {"never constipated again, in Cantonese",
         L("food.snacks", "龜苓膏 250g×6碗", "食咗唔會再便秘", ""), "efficacy.medical_claims"},
        {"a Cantonese negation of taste, no claim",
         L("food.snacks", "龜苓膏 250g×6碗", "唔甜唔膩，好食", ""), ""},
        {"the first of the solar terms, no claim",
         L("food.snacks", "春卷 立春咬春 500g", "立春为二十四节气之首\\n净含量：500g", ""), ""},
        {"a price that did not rise, no cure",
         L("food.snacks", "老面馒头 10个", "给家里高血压的老人买的，三年了价格也没涨", ""), ""},
        {"a myopia that stopped growing",
         L("fresh.fruit", "蓝莓 125g×4盒", "孩子天天吃，近视度数都没涨", ""),
         "efficacy.medical_claims"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_materials_of_home_goods),
        cmocka_unit_test(test_titles_models_and_sets),
        cmocka_unit_test(test_amounts_said_twice),
        cmocka_unit_test(test_words_of_health_food_and_regions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
