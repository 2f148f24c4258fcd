/* Long product pages (holdout59, docs/scan.md): parameter tables, FAQ answers, buyer reviews
 * and shop notices, in traditional script and full-width forms. Each positive with a near
 * miss, under the default policy. */
#include "scan_cases.h"

static void test_facts__a_shelf_life_of_the_goods_own_condition(void **s)
{
    static const struct scase cases[] = {
        {"保质期：3年 against 未开封保质期2年",
         L("beauty.skincare", "积雪草爽肤水 200ml", "保质期：3年\\n【说明】未开封保质期2年。", ""),
         "consistency.facts"},
        {"保质期：9个月 against 常温保质期12个月",
         L("food.snacks", "牛肉干 250g", "保质期：9个月\\n真空包装，常温保质期12个月。", ""),
         "consistency.facts"},
        {"开封后 is another condition still",
         L("beauty.skincare", "积雪草爽肤水 200ml", "保质期：3年，开封后保质期6个月。", ""), ""},
        {"冷藏 is another condition still",
         L("food.snacks", "鲜肉月饼 6枚", "常温保质期7天，冷藏保质期15天。", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_specs__units_and_labels_of_other_scripts(void **s)
{
    static const struct scase cases[] = {
        {"吋 is an inch, 螢幕 a screen's label: 6.7吋 against 螢幕：6.1 吋",
         L("digital.phones", "Galaxy A56 6.7吋大螢幕", "【規格參數】螢幕：6.1 吋 Super AMOLED", ""),
         "consistency.spec"},
        {"the same screen in both scripts",
         L("digital.phones", "Galaxy A56 6.7吋大螢幕", "螢幕：6.7 吋 Super AMOLED", ""), ""},
        {"颗 counts fruit: 24颗 against 规格：20颗/盒",
         L("fresh.fruit", "丹东草莓 24颗精品装", "规格：20颗/盒，单果25-30g。", ""),
         "consistency.spec"},
        {"24颗 against 24颗",
         L("fresh.fruit", "丹东草莓 24颗精品装", "规格：24颗/盒，单果25-30g。", ""), ""},
        {"IU is a unit of vitamins: 1000IU against 规格：2000IU",
         L("health.supplements", "维生素D3 软胶囊 1000IU 120粒", "规格：2000IU×120粒。", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_specs__dimensions_and_parts(void **s)
{
    static const struct scase cases[] = {
        {"40 × 28 × 3cm states 40cm and 28cm too (spaces around ×)",
         L("home.kitchen", "檜木砧板 40×28cm", "尺寸：40 × 28 × 3cm", ""), ""},
        {"40 × 30cm against 40×28cm", L("home.kitchen", "檜木砧板 40×28cm", "尺寸：40 × 30cm", ""),
         "consistency.spec"},
        {"纯棉裆 is the gusset's cotton, no claim on the shell",
         L("apparel.women", "高腰内裤 3条装 纯棉裆", "面料：莫代尔92% 氨纶8%，纯棉裆。", ""), ""},
        {"纯棉 of the shell against 莫代尔92%",
         L("apparel.women", "高腰内裤 3条装 纯棉", "面料：莫代尔92% 氨纶8%。", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_words__reviews_faq_and_instructions(void **s)
{
    static const struct scase cases[] = {
        {"a review the shop publishes claims what it says: 痘痘全消",
         L("beauty.skincare", "茶树净肤精华 30ml", "【买家秀】「用了一周痘痘全消！」", ""),
         "efficacy.cosmetic_claims"},
        {"a review of the feel claims nothing",
         L("beauty.skincare", "茶树净肤精华 30ml", "【买家秀】「控油好明显，很清爽」", ""), ""},
        {"颧骨最高处 is a place on the face, no superlative",
         L("beauty.makeup", "柔雾腮红 4.5g", "从颧骨最高处向太阳穴方向轻扫。", ""), ""},
        {"最高 still ranks: 销量最高",
         L("beauty.makeup", "柔雾腮红 4.5g", "全网销量最高的腮红。", ""),
         "advertising.absolute_terms"},
        {"a group named by who is in it, then its number",
         L("food.snacks", "牛肉干 250g", "直邮更便宜，加宝妈群 582 036 114 拼单。", ""),
         "diversion.qq"},
        {"the seller's own website as the place to order",
         L("food.snacks", "牛肉干 250g", "会员价请去我们官网下单，这里是零售价。", ""),
         "diversion.other_platforms"},
        {"an official website's price is a reference",
         L("food.snacks", "牛肉干 250g", "官网价¥99，本店活动价。", ""), ""},
        {"a keyword in brackets, then the id: 【微信】abc123",
         L("beauty.makeup", "腮红 4.5g", "【店铺公告】【客服微信】kefu_2024，工作日在线。", ""),
         "diversion.wechat"},
        {"kou kou and numerals in an FAQ answer are a QQ",
         L("home.kitchen", "陶瓷饭碗 4入组",
           "问：可以订制吗？答：订制请加 kou kou 二八七六五四三二一 洽谈。", ""),
         "diversion.qq"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_facts__factories_and_export_goods(void **s)
{
    static const struct scase cases[] = {
        {"受托生产企业 is the maker: against another manufacturer",
         L("food.snacks", "海苔脆片 委托生产",
           "委托方：厦门味旅品牌管理有限公司；受托生产企业：福建省晋江市香满园食品有限公司。",
           ",\"production_date\":\"2025-01-01\",\"quality_cert\":\"q\","
           "\"manufacturer\":\"福建省石狮市海味佳食品有限公司\""),
         "consistency.facts"},
        {"受托生产企业 naming the manufacturer agrees",
         L("food.snacks", "海苔脆片 委托生产",
           "委托方：厦门味旅品牌管理有限公司；受托生产企业：福建省晋江市香满园食品有限公司。",
           ",\"production_date\":\"2025-01-01\",\"quality_cert\":\"q\","
           "\"manufacturer\":\"福建省晋江市香满园食品有限公司\""),
         ""},
        {"a least order stated twice: 50个起订 against 起订量：100个",
         L("home.kitchen", "硅胶锅铲 50个起订 厂家直销", "起订量：100个，少于100个不接单。", ""),
         "consistency.facts"},
        {"the same least order twice", L("apparel.women", "阔腿裤 3件起批", "起批量：3件。", ""),
         ""},
        {"some orders' least orders and price bands are no contradiction",
         L("apparel.women", "阔腿裤 3件起批",
           "单款10件起批，混批30件起批；10件起批价¥42，50件起批价¥38。", ""),
         ""},
        {"another unit is another measure", L("food.snacks", "辣条 1箱起批", "起订量：40包。", ""),
         ""},
        {"国行版 against 版本：海外版",
         L("digital.phones", "5G手机 国行版 KX-58", "版本：海外版（非国行），需自行刷机。", ""),
         "consistency.attributes"},
    };
    run_as(cases, 2, true); /* their own three-no fields: the manufacturer is what is compared */
    run(cases + 2, sizeof cases / sizeof cases[0] - 2);
}

static void test_ordinary__a_weekly_sample(void **s)
{
    static const struct scase cases[] = {
        {"cold chain in the text against shipping_method express",
         L("fresh.seafood", "冷冻黑虎虾 1kg", "全程冷链配送，保证到手不化冻。",
           ",\"shipping_method\":\"express\""),
         "consistency.attributes"},
        {"cold chain with sf_express is no contradiction",
         L("fresh.fruit", "丹东草莓 3斤", "发货：顺丰冷链。",
           ",\"shipping_method\":\"sf_express\""),
         ""},
        {"a version named without a label: 国行 against 港版机器",
         L("digital.phones", "国行 iPhone 15 128GB", "港版机器，不支持国内官方保修。", ""),
         "consistency.attributes"},
        {"each bag's share of the titles' whole: 每袋185g of 1480g 8袋装",
         L("food.snacks", "坚果礼盒 1480g 8袋装", "8种坚果每袋185g，送礼有面子。", ""), ""},
        {"another bag's weight: 每袋200g of 1480g 8袋装",
         L("food.snacks", "坚果礼盒 1480g 8袋装", "8种坚果每袋200g，送礼有面子。", ""),
         "consistency.spec"},
        {"the piece of a product is no whole: 500g×2袋 against 250g/袋",
         L("food.snacks", "红枣 500g×2袋", "规格：250g/袋，共2袋。", ""), "consistency.spec"},
        {"a short title's colour against the detail's",
         L("digital.phones", "OPPO Reno13 5G 曜石黑 12+256", "颜色：曜石黑（单色链接）",
           ",\"short_title\":\"Reno13 冰川白\""),
         "consistency.attributes"},
        {"a short title naming the detail's colour",
         L("digital.phones", "OPPO Reno13 5G 曜石黑 12+256", "颜色：曜石黑（单色链接）",
           ",\"short_title\":\"Reno13 曜石黑\""),
         ""},
        {"a memory after a price label is no price",
         L("digital.phones", "安卓旗舰 全网最低价 12+256", "存储：12GB+256GB",
           ",\"price\":\"2999.00\""),
         "advertising.absolute_terms"},
        {"a price per machine: 售价：159元/台 of a listing at 199",
         L("home.kitchen", "电热水壶 1.7L", "售价：159元/台", ",\"price\":\"199.00\""),
         "consistency.price"},
        {"lashes said to grow",
         L("beauty.makeup", "睫毛打底膏 5ml", "坚持涂抹7天长出浓密长睫毛。", ""),
         "efficacy.cosmetic_claims"},
        {"也可选 names another variant",
         L("fresh.fruit", "红富士苹果 带箱10斤 净重9斤",
           "净重约9斤，第一次购买的朋友也可选5斤装先尝。", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_facts__a_season_s_goods(void **s)
{
    static const struct scase cases[] = {
        {"2025年新货 against a production date of 2023",
         L("food.snacks", "2025年新货 开心果 500g", "净含量：500g",
           ",\"production_date\":\"2023-12-01\",\"quality_cert\":\"q\",\"manufacturer\":\"m\""),
         "consistency.facts"},
        {"2025新果 of 2025",
         L("fresh.fruit", "2025新果 阿克苏苹果 5斤", "净重5斤",
           ",\"production_date\":\"2025-10-20\",\"quality_cert\":\"q\","
           "\"manufacturer\":\"m\""),
         ""},
        {"新货上市 names no year",
         L("food.snacks", "新货上市 开心果 500g", "净含量：500g",
           ",\"production_date\":\"2023-12-01\",\"quality_cert\":\"q\",\"manufacturer\":\"m\""),
         ""},
    };
    run_as(cases, sizeof cases / sizeof cases[0], true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facts__a_shelf_life_of_the_goods_own_condition),
        cmocka_unit_test(test_specs__units_and_labels_of_other_scripts),
        cmocka_unit_test(test_specs__dimensions_and_parts),
        cmocka_unit_test(test_words__reviews_faq_and_instructions),
        cmocka_unit_test(test_facts__factories_and_export_goods),
        cmocka_unit_test(test_ordinary__a_weekly_sample),
        cmocka_unit_test(test_facts__a_season_s_goods),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
