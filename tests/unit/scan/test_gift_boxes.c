/* Gift boxes, county shops and clearance stock (docs/scan.md, holdout66's to holdout68's
 * classes): a fibre a title names as the material, a fibre alone after the shell's label, a
 * hundred per cent as a promise, endorsements by health and drug regulators and by a TV
 * channel's programme, a season without a cold, a look-alike of the brand and the brand's owner,
 * a box's price beside a can's, a count of
 * containers before a per-container amount, words that name no platform or contact. Each
 * listing with the rules it must fire and no other, under the default policy; each positive with
 * a near miss. */
#include "scan_cases.h"

static void test_fibres__named_as_the_material(void **s)
{
    static const struct scase cases[] = {
        {"silk named, whole contents without it",
         L("apparel.women", "真丝连衣裙 女 春节", "面料成分：聚酯纤维 95% 氨纶 5%\\n尺码 S M L",
           ""),
         "consistency.spec"},
        {"silk named, silk among the contents",
         L("apparel.women", "真丝连衣裙 女 春节", "面料成分：桑蚕丝 92% 氨纶 8%", ""), ""},
        {"wool named, contents that do not add up to the whole",
         L("apparel.women", "羊毛开衫 女 秋冬", "成分：腈纶 30%\\n其余见吊牌", ""), ""},
        {"a hairstyle is no fibre", L("apparel.women", "羊毛卷 针织帽 女", "成分：腈纶100%", ""),
         ""},
        {"a lone fibre after the label, against a pure one",
         L("apparel.women", "纯棉连衣裙 宽松 夏季", "面料：聚酯纤维（涤纶）\\n尺码：M L XL", ""),
         "consistency.spec"},
        {"silk named, a lone fibre after the label",
         L("apparel.women", "真丝吊带背心 女", "成分：聚酯纤维\\n颜色：象牙白", ""),
         "consistency.spec"},
        {"a lone fibre of the claimed kind",
         L("apparel.women", "纯棉连衣裙 宽松 夏季", "面料：棉\\n尺码：M L XL", ""), ""},
        {"two fibres without contents are a blend, not the whole",
         L("apparel.women", "纯棉连衣裙 宽松 夏季", "面料：棉 聚酯纤维\\n尺码：M L XL", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_words__promises_and_endorsements(void **s)
{
    static const struct scase cases[] = {
        {"a hundred per cent as a promise",
         L("apparel.women", "羊毛混纺针织开衫 女", "成分：羊毛30% 腈纶70%\\n百分之百 不起球 不缩水",
           ""),
         "advertising.absolute_terms"},
        {"a hundred per cent wild",
         L("fresh.seafood", "野生大黄鱼 500g/条", "100%野生 冷链发货", ""),
         "advertising.absolute_terms"},
        {"a hundred per cent as a content", L("apparel.women", "纯棉T恤 女", "面料：棉100%", ""),
         ""},
        {"a battery at a hundred per cent",
         L("digital.phones", "二手 iPhone 13 128G", "电池100%", ""), ""},
        {"a health regulator's recommendation",
         L("food.snacks", "低脂鸡胸肉肠 60g×10支", "规格：60g×10支\\n国家卫健委 推荐 的健康零食",
           ""),
         "advertising.absolute_terms"},
        {"a TV channel's programme",
         L("fresh.fruit", "赣南脐橙 10斤", "规格：10斤\\n我们果园上过 CCTV-7 农业节目 推荐过的果子",
           ""),
         "advertising.absolute_terms"},
        {"a regulator named, nothing endorsed",
         L("food.snacks", "低脂鸡胸肉肠 60g×10支", "规格：60g×10支\\n按国家卫健委膳食指南 适量食用",
           ""),
         ""},
        {"a winter without a cold",
         L("health.supplements", "维生素C 咀嚼片 100片", "孩子天天嚼两片 一冬天不感冒", ""),
         "efficacy.medical_claims"},
        {"a cold in winter, no promise",
         L("health.supplements", "维生素C 咀嚼片 100片", "冬天感冒了请及时就医", ""), ""},
        {"resistance said to rise",
         L("baby.formula", "幼儿配方奶粉 3段 800g", "宝妈反馈：宝宝抵抗力蹭蹭往上涨", ""),
         "efficacy.immunity_claims"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_words__no_platform_and_no_contact(void **s)
{
    static const struct scase cases[] = {
        {"a Taobao village is a village",
         L("fresh.fruit", "临猗冬枣 5斤", "俺们村评上了淘宝村\\n规格：5斤", ""), ""},
        {"Taobao as the place to search",
         L("fresh.fruit", "临猗冬枣 5斤", "淘宝搜店名 还有更多\\n规格：5斤", ""),
         "diversion.other_platforms"},
        {"a phone that runs two WeChat accounts",
         L("digital.phones", "星辰 S20 5G手机 8+256 支持微信分身", "系统功能：应用分身", ""), ""},
        {"an invitation to add WeChat",
         L("digital.phones", "星辰 S20 5G手机 8+256", "售后加客服微信", ""), "diversion.wechat"},
        {"a carrier chosen at random",
         L("fresh.fruit", "奉节脐橙 10斤", "10斤（净重5kg）\\n顺丰/京东随机发", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_brands__a_look_alike_and_a_brand_owner(void **s)
{
    static const struct scase cases[] = {
        {"a short title opening with a look-alike of the brand",
         L("food.snacks", "味小满 年货零食礼盒 2.2kg", "味小满 年货礼盒 总重2.2kg",
           ",\"short_title\": \"乐小满年货礼盒\", \"brand\": \"味小满\""),
         "consistency.brand"},
        {"the brand itself in the short title",
         L("food.snacks", "味小满 年货零食礼盒 2.2kg", "味小满 年货礼盒 总重2.2kg",
           ",\"short_title\": \"味小满年货礼盒\", \"brand\": \"味小满\""),
         ""},
        {"the goods' word before a brand of the same start",
         L("food.snacks", "阿胶块 250g", "阿胶坊 传统熬制", ",\"brand\": \"阿胶坊\""), ""},
        {"a phrase like a brand that no text names",
         L("fresh.fruit", "自家果园 现摘 黄桃 5斤", "规格：5斤", ",\"brand\": \"农家果\""), ""},
        {"the brand's owner named in the detail",
         L("beauty.makeup", "丝绒雾面唇釉 3.5g", "品牌方：花漾彩妆\\n净含量：3.5g",
           ",\"brand\": \"采黛\""),
         "consistency.brand"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_prices__a_packs_price_beside_a_units(void **s)
{
    static const struct scase cases[] = {
        {"a can's price beside the box's, the listing is the box",
         L("baby.formula", "较大婴儿配方奶粉 2段 两罐礼盒 900g×2", "单罐 ¥258，两罐礼盒 ¥499",
           ",\"price\": \"499.00\""),
         ""},
        {"a can's price of a listing of one can",
         L("baby.formula", "较大婴儿配方奶粉 2段 900g", "单罐 ¥258", ",\"price\": \"238.00\""),
         "consistency.price"},
        {"price protection denied against the service",
         L("baby.formula", "儿童成长奶粉 4段 800g", "临期特价 价格不保 降价不补差价",
           ",\"after_sales\": [\"price_protection\"]"),
         "consistency.after_sales"},
        {"a sale's price before the shelf life names no price protection",
         L("food.snacks", "全麦苏打饼干 800g", "临期特价 保质期至2025-12-20",
           ",\"after_sales\": []"),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_specs__containers_counted_before_their_amount(void **s)
{
    static const struct scase cases[] = {
        {"two bottles of a hundred, two hundred in all",
         L("health.supplements", "维生素C 咀嚼片 两瓶 100片/瓶", "两瓶 共200片", ""), ""},
        {"two bottles of a hundred, another total",
         L("health.supplements", "维生素C 咀嚼片 两瓶 100片/瓶", "两瓶 共150片", ""),
         "consistency.spec"},
        {"a second bottle is an ordinal",
         L("health.supplements", "维生素C 咀嚼片 100片/瓶 第二瓶半价", "每瓶100片", ""), ""},
        {"weight lost is not the goods' weight",
         L("food.snacks", "燕麦代餐饼干 1kg 整箱", "晚饭换成它 一个月掉秤15斤", ""),
         "efficacy.food_claims"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fibres__named_as_the_material),
        cmocka_unit_test(test_words__promises_and_endorsements),
        cmocka_unit_test(test_words__no_platform_and_no_contact),
        cmocka_unit_test(test_brands__a_look_alike_and_a_brand_owner),
        cmocka_unit_test(test_prices__a_packs_price_beside_a_units),
        cmocka_unit_test(test_specs__containers_counted_before_their_amount),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
