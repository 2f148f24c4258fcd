/* Imported goods and listings copied from other platforms (docs/scan.md): a title's claim of
 * where goods were made against the detail's 产地, an amount and its conversion side by side,
 * versions, plugs, flesh colours, cooked-frozen goods, a brand written in Japanese forms or in
 * several names on its label, a warranty looked up or denied at home. Each listing with the
 * rules it must fire and no other, under the default policy. Written from the rules, each
 * positive with a near miss. */
#include "scan_cases.h"

static void test_origin__a_titles_claim_against_the_details_country(void **s)
{
    static const struct scase cases[] = {
        {"imported from Japan, made in Guangzhou",
         L("beauty.skincare", "日本进口 玻尿酸保湿面膜 10片", "产地：中国 广州\\n规格：10片", ""),
         "consistency.attributes"},
        {"imported from Japan, made in Japan",
         L("beauty.skincare", "日本进口 玻尿酸保湿面膜 10片", "产地：日本\\n规格：10片", ""), ""},
        {"made in France, made in Suzhou",
         L("apparel.women", "法国制造 羊毛大衣", "产地：苏州\\n面料：羊毛", ""),
         "consistency.attributes"},
        {"an original import of New Zealand, made in Australia",
         L("baby.formula", "新西兰原装进口 婴儿配方奶粉 1段 900g",
           "原产国：澳大利亚\\n净含量：900g", ""),
         "consistency.attributes"},
        {"made in Italy after its country, made in China",
         L("home.kitchen", "意大利产 摩卡壶 3杯份", "产地：中国", ""), "consistency.attributes"},
        {"domestic, made in Korea", L("food.snacks", "国产 海苔卷 原味", "原产国：韩国", ""),
         "consistency.attributes"},
        {"a country alone is a brand's home, no claim",
         L("home.kitchen", "德国 双立人 不锈钢汤锅 24cm", "产地：中国\\n材质：不锈钢", ""), ""},
        {"imported milk for formula made at home",
         L("baby.formula", "新西兰进口奶源 婴儿配方奶粉 1段 900g",
           "产地：中国 黑龙江\\n净含量：900g", ""),
         ""},
        {"a home port of import", L("food.snacks", "上海进口 曲奇饼干 礼盒", "原产国：丹麦", ""),
         ""},
        {"fresh food: a home port of import before the goods",
         L("fresh.seafood", "大连 进口 三文鱼 整条 5kg", "原产国：挪威\\n重量：约5kg", ""), ""},
        {"fresh food: a province against a country",
         L("fresh.seafood", "大连 三文鱼 整条 5kg", "原产国：挪威\\n重量：约5kg", ""),
         "consistency.attributes"},
        {"made in the place named first", L("food.snacks", "原产日本 抹茶饼干", "产地：韩国", ""),
         "consistency.attributes"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_conversions__an_amount_and_its_conversion_side_by_side(void **s)
{
    static const struct scase cases[] = {
        {"30 ml is no 1.7 fluid ounces",
         L("beauty.makeup", "持妆粉底液 30ml 1.7oz", "规格：30ml\\n色号：1W1", ""),
         "consistency.spec"},
        {"50 ml is 1.7 fluid ounces",
         L("beauty.makeup", "持妆粉底液 50ml 1.7oz", "规格：50ml\\n色号：1W1", ""), ""},
        {"2.5 pounds are no 2 kg",
         L("food.snacks", "混合坚果 2.5磅 约2kg", "净含量：2.5 lb\\n配料：腰果、杏仁", ""),
         "consistency.spec"},
        {"2.5 pounds are about 1.13 kg",
         L("food.snacks", "混合坚果 2.5磅 约1.13kg", "净含量：2.5 lb\\n配料：腰果、杏仁", ""), ""},
        {"6.7 inches are no 15.5 cm",
         L("digital.phones", "5G手机 6.7英寸（约15.5厘米） 128GB",
           "屏幕尺寸：6.7英寸\\n存储：128GB", ""),
         "consistency.spec"},
        {"6.7 inches are about 17 cm",
         L("digital.phones", "5G手机 6.7英寸（约17厘米） 128GB", "屏幕尺寸：6.7英寸\\n存储：128GB",
           ""),
         ""},
        {"a label's conversion in the detail, rounded",
         L("beauty.skincare", "精华露 230ml", "规格：230ml（7.7 US fl.oz）", ""), ""},
        {"a label's weight and its wrong conversion",
         L("baby.formula", "婴儿配方奶粉 1段", "净含量：20.7 oz（约800g）", ""),
         "consistency.spec"},
        {"two variants, not a conversion",
         L("beauty.skincare", "保湿面霜 1.7oz/3.4oz", "规格：1.7oz/3.4oz 两种可选", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_attributes__versions_plugs_flesh_and_cooked_frozen(void **s)
{
    static const struct scase cases[] = {
        {"a German version against a British one",
         L("home.kitchen", "德国版 电动牙刷 充电款", "版本：英国版\\n电压：220V", ""),
         "consistency.attributes"},
        {"a German version stated twice",
         L("home.kitchen", "德国版 电动牙刷 充电款", "版本：德国本土版", ""), ""},
        {"mainland against a duty-free US version",
         L("beauty.skincare", "国行专柜 精华液 50ml", "版本：美国免税店版\\n规格：50ml", ""),
         "consistency.attributes"},
        {"a national-standard plug against a US one",
         L("digital.phones", "65W 氮化镓充电器 国标插头", "插头：美规（两扁脚）\\n输入：100-240V",
           ""),
         "consistency.attributes"},
        {"a national-standard plug stated twice",
         L("digital.phones", "65W 氮化镓充电器 国标插头", "插头：国标两脚\\n输入：100-240V", ""),
         ""},
        {"a US plug adapter is no plug of the charger",
         L("digital.phones", "65W 氮化镓充电器 国标插头", "输入：100-240V\\n出国可另购美规转换头",
           ""),
         ""},
        {"red flesh against white",
         L("fresh.fruit", "南非红心西柚 6个", "果肉：白肉\\n规格：6个", ""),
         "consistency.attributes"},
        {"red flesh stated twice",
         L("fresh.fruit", "南非红心西柚 6个", "果肉：红色果肉\\n规格：6个", ""), ""},
        {"live in the title, cooked and frozen in the detail",
         L("fresh.seafood", "鲜活帝王蟹 4斤", "状态：熟冻（船上煮熟急冻）\\n规格：4斤", ""),
         "consistency.attributes"},
        {"a shrimp grade against another",
         L("fresh.seafood", "阿根廷红虾 L1 2kg 整盒", "规格：L2（每公斤30-40只）\\n净重：2kg", ""),
         "consistency.attributes"},
        {"a shrimp grade stated twice",
         L("fresh.seafood", "阿根廷红虾 L1 2kg 整盒", "规格：L1（每公斤20-30只）\\n净重：2kg", ""),
         ""},
        {"a cherry grade against a lower one",
         L("fresh.fruit", "烟台大樱桃 JJJ级 2斤装", "规格：JJ级（果径26-28mm）\\n净重：2斤", ""),
         "consistency.attributes"},
        {"three pieces in the title, one per order",
         L("apparel.women", "纯棉基础T恤 3件装", "标价为单件价格，拍1发1件。", ""),
         "consistency.spec"},
        {"three pieces in the title and per order",
         L("apparel.women", "纯棉基础T恤 3件装", "拍1发3件，颜色备注。", ""), ""},
        {"cooked and frozen stated twice",
         L("fresh.seafood", "熟冻帝王蟹 4斤", "状态：熟冻\\n规格：4斤", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_brand_and_warranty__forms_names_lookups_and_denials(void **s)
{
    static const struct scase cases[] = {
        {"a brand in Japanese forms is the same brand",
         L("home.kitchen", "南部铁器 岩铸 铁壶 1.2L", "品牌：岩鋳 IWACHU\\n容量：1.2L",
           ",\"brand\":\"岩铸 IWACHU\""),
         ""},
        {"another brand on the label",
         L("home.kitchen", "南部铁器 铁壶 1.2L", "品牌：及源\\n容量：1.2L", ",\"brand\":\"岩铸\""),
         "consistency.brand"},
        {"the label names the brand a second way",
         L("baby.formula", "婴儿配方奶粉 1段 587g", "品牌：Enfamil / Mead Johnson 美赞臣",
           ",\"brand\":\"美赞臣 Mead Johnson\""),
         ""},
        {"the label names only another brand",
         L("baby.formula", "婴儿配方奶粉 1段 587g", "品牌：Enfamil", ",\"brand\":\"美赞臣\""),
         "consistency.brand"},
        {"a warranty looked up is no promise",
         L("digital.phones", "港版 无线耳机 查保修", "到货后可查询激活和保修状态。",
           ",\"after_sales\":[]"),
         ""},
        {"a warranty promised, none in after_sales",
         L("digital.phones", "港版 无线耳机", "整机保修一年。", ",\"after_sales\":[]"),
         "consistency.after_sales"},
        {"no warranty at home, warranty in after_sales",
         L("home.kitchen", "破壁机 海淘 美规", "海淘商品不提供国内保修，仅保正品",
           ",\"after_sales\":[\"warranty\"]"),
         "consistency.after_sales"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_review__near_misses_of_imports_conversions_and_services(void **s)
{
    static const struct scase cases[] = {
        {"a warehouse city after an origin label is no origin",
         L("beauty.skincare", "日本进口 精华 50ml", "原产地：以实物包装为准，杭州保税仓发货", ""),
         ""},
        {"产地直采 then a warehouse city",
         L("food.snacks", "日本进口零食 薯条 礼盒", "日本产地直采，上海保税仓发货", ""), ""},
        {"Nissan is no origin",
         L("digital.phones", "车载手机支架 适用日产轩逸 出风口", "产地：广东深圳", ""), ""},
        {"a Hong Kong port of import",
         L("baby.formula", "香港进口 澳洲奶粉 3段", "原产国：澳大利亚", ""), ""},
        {"imported steel of a knife made at home",
         L("home.kitchen", "菜刀 日本进口VG10钢 主厨刀", "产地：广东阳江", ""), ""},
        {"a production line brought in",
         L("home.kitchen", "引进德国生产线 不锈钢炒锅", "产地：浙江永康", ""), ""},
        {"a comparison with domestic goods",
         L("home.kitchen", "德国工艺刀具 吊打国产 六件套", "产地：德国索林根", ""), ""},
        {"made in Germany stated twice, 国产 inside 德国产",
         L("home.kitchen", "炒锅 28cm 德国产 划线价¥1299", "产地：德国", ""), ""},
        {"Japanese-made in its own forms against China",
         L("home.kitchen", "日本製 铁壶 1.2L", "产地：中国 浙江", ""), "consistency.attributes"},
        {"the brand's home is no origin",
         L("home.kitchen", "日本进口 保温杯 500ml", "产地：中国浙江，品牌所在地：日本", ""),
         "consistency.attributes"},
        {"variants in two systems",
         L("beauty.skincare", "香水 30ml/100ml 1oz/3.4oz", "规格：30ml/100ml 可选", ""), ""},
        {"a screen and a thickness",
         L("digital.phones", "5G手机 6.7英寸 8.25mm轻薄机身 256GB", "存储：256GB 屏幕：6.7英寸",
           ""),
         ""},
        {"a wrong conversion in a title alone",
         L("beauty.skincare", "精华 30ml 1.7oz", "质地轻薄，吸收快，早晚使用", ""),
         "consistency.spec"},
        {"a wrong conversion in a label of a title without amounts",
         L("beauty.skincare", "小黑瓶精华", "净含量：30ml/1.7oz", ""), "consistency.spec"},
        {"a steel standard is no plug",
         L("home.kitchen", "国标304不锈钢 电热水壶 110V", "电压：110V，插头：美规两脚", ""), ""},
        {"a comparison names no flesh",
         L("fresh.fruit", "海南红心火龙果 5斤", "果肉细腻多汁，比白肉火龙果更甜", ""), ""},
        {"no domestic warranty, the store's instead",
         L("digital.phones", "港版 5G手机 256GB", "港版机器不提供国内保修，本店提供一年店保",
           ",\"after_sales\":[\"warranty\"]"),
         ""},
        {"a check of the goods is no lookup of the promise",
         L("beauty.skincare", "精华 50ml", "国家抽查合格 假一赔十", ",\"after_sales\":[]"),
         "consistency.after_sales"},
        {"a brand's look-alike is another brand",
         L("beauty.makeup", "持妆粉底液 30ml", "品牌：柔雅诗 兰蔻平替", ",\"brand\":\"兰蔻\""),
         "consistency.brand"},
        {"vinegar stays vinegar",
         L("food.snacks", "老陈醋 500ml", "品牌：醋坊", ",\"brand\":\"醋坊\""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origin__a_titles_claim_against_the_details_country),
        cmocka_unit_test(test_conversions__an_amount_and_its_conversion_side_by_side),
        cmocka_unit_test(test_attributes__versions_plugs_flesh_and_cooked_frozen),
        cmocka_unit_test(test_brand_and_warranty__forms_names_lookups_and_denials),
        cmocka_unit_test(test_review__near_misses_of_imports_conversions_and_services),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
