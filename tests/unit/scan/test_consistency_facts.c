/* Key-info consistency, continued from test_consistency.c (split for size): discounts a
 * shopper works out, freight for some regions, limits and servings, facts stated twice, and a
 * class self-stating in some categories; one case per rule as docs/scan.md states it (default
 * policy unless a test loads its own). */
#include "scan_cases.h"

#include <stdio.h>
#include <stdlib.h>

/* A lower labelled price the listing's stated discounts add up to (a shopper's arithmetic),
 * freight for some regions, a price for several, limits and per-serving amounts. */
static void test_consistency__discounts_regions_limits_and_servings(void **s)
{
    static const struct scase cases[] = {
        {"a coupon that adds up",
         L("beauty.makeup", "散粉 8g", "领 20 元券，券后价 ¥109", ",\"price\":\"129.00\""), ""},
        {"a coupon that does not add up",
         L("beauty.makeup", "散粉 8g", "领20元券，券后价 ¥99", ",\"price\":\"129.00\""),
         "consistency.price"},
        {"a coupon price with no amount",
         L("beauty.makeup", "散粉 8g", "原价 ¥299，券后价 ¥149", ",\"price\":\"199.00\""),
         "consistency.price"},
        {"spend and save",
         L("beauty.skincare", "水乳套装", "满300减50，到手价269", ",\"price\":\"319.00\""), ""},
        {"a deposit worth more",
         L("beauty.skincare", "面霜 50g", "定金50元抵100元，尾款359元，到手价409元",
           ",\"price\":\"459.00\""),
         ""},
        {"freight for remote regions",
         L("fresh.fruit", "苹果 10斤", "新疆、西藏、青海地区需补运费 15 元，其余地区包邮",
           ",\"freight\":\"0.00\""),
         ""},
        {"freight for everyone else",
         L("fresh.fruit", "苹果 10斤", "偏远地区除外，其余地区运费5元", ",\"freight\":\"0.00\""),
         "consistency.free_shipping"},
        {"a price for three bottles",
         L("health.supplements", "钙片 60片", "3瓶：到手267元", ",\"price\":\"99.00\""), ""},
        {"a superlative is a claim", L("fresh.fruit", "阳光玫瑰", "甜度最高，果粒最大", ""),
         "advertising.absolute_terms"},
        {"a superlative of grade", L("apparel.women", "真丝连衣裙 最高档面料", "桑蚕丝", ""),
         "advertising.absolute_terms"},
        {"a measured limit is none",
         L("digital.phones", "手机 12+256G", "最大充电功率67W，最高耐温60℃", ""), ""},
        {"one of three dimensions", L("home.kitchen", "置物架 60cm宽", "尺寸=60x35x120cm", ""), ""},
        {"none of three dimensions", L("home.kitchen", "置物架 80cm宽", "尺寸=60x35x120cm", ""),
         "consistency.spec"},
        {"an old spec marked old",
         L("beauty.skincare", "面霜 45g", "规格调整：原50g为旧规格，现为45g", ""), ""},
        {"an edit the title missed",
         L("beauty.skincare", "面霜 50g", "规格调整：原50g，现改为45g", ""), "consistency.spec"},
        {"a variant no longer sold",
         L("fresh.fruit", "猕猴桃 中果15枚", "大果12枚装已下架，只发中果", ""), ""},
        {"free shipping that was",
         L("fresh.fruit", "丑橘 5斤", "原包邮，现运费12元", ",\"freight\":\"12.00\""), ""},
        {"a price that was",
         L("fresh.fruit", "火龙果 5斤", "价格调整：原¥39.9，现¥35.9", ",\"price\":\"35.90\""), ""},
        {"a service withdrawn",
         L("beauty.makeup", "粉底液 30ml", "售后调整：原赠送运费险，现已取消运费险",
           ",\"after_sales\":[\"return_shipping_insurance\"]"),
         "consistency.after_sales"},
        {"a promise negated",
         L("fresh.fruit", "贵妃芒 5斤 坏果包赔", "售后说明：生鲜水果不支持坏果赔付",
           ",\"after_sales\":[\"bad_item_compensation\"]"),
         "consistency.after_sales"},
        {"compensation refused",
         L("home.kitchen", "电热水壶 1.7L 破损包赔", "运输中破损：不赔付", ""),
         "consistency.after_sales"},
        {"a promise negated after a condition",
         L("digital.phones", "手机 12+256G", "刷机后无法保修", ",\"after_sales\":[\"warranty\"]"),
         ""},
        {"a promise negated and after_sales without it",
         L("fresh.fruit", "贵妃芒 5斤", "不支持坏果赔付",
           ",\"after_sales\":[\"seven_day_return\"]"),
         ""},
        {"a service withdrawn and gone from after_sales",
         L("beauty.makeup", "粉底液 30ml", "原支持7天无理由，现已取消；正品保障不变",
           ",\"after_sales\":[\"authenticity_guarantee\"]"),
         ""},
        {"from the old value to the new",
         L("digital.phones", "儿童手机 5500mAh", "电池由5000mAh升级为5500mAh", ""), ""},
        {"a flavour is no old value",
         L("food.snacks", "瓜子 500g", "原味，价格：¥29.9", ",\"price\":\"19.90\""),
         "consistency.price"},
        {"a limit is no spec",
         L("digital.phones", "手机 8+128G", "存储扩展：最大支持1TB microSD卡", ""), ""},
        {"a dose is no spec",
         L("health.supplements", "维生素E软胶囊 90粒", "每日 3 粒，每瓶可服用 30 天", ""), ""},
        {"key=value: a price",
         L("beauty.skincare", "眼霜 20g", "净含量=20g|售价=99.00|划线价=159.00",
           ",\"price\":\"89.00\""),
         "consistency.price"},
        {"key=value: a reference price and the price",
         L("beauty.skincare", "面霜 50g", "净含量=50g|划线价=¥199|售价=¥99",
           ",\"price\":\"99.00\""),
         ""},
        {"key=value: a brand",
         L("home.kitchen", "电炖锅 3L", "品牌=炖乐|容量=3L", ",\"brand\":\"美厨\""),
         "consistency.brand"},
        {"a unit price is the price",
         L("beauty.makeup", "散粉 10g", "单价:¥69|划线价¥129", ",\"price\":\"59.00\""),
         "consistency.price"},
        {"a content per 100g is no amount",
         L("food.snacks", "蛋白粉 900g", "净含量=900g|蛋白质含量=80g/100g", ""), ""},
        {"a serving's protein is no spec",
         L("food.snacks", "乳清蛋白粉 900g", "净含量：900g，每份（30g）蛋白质24g", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

/* Facts stated twice (consistency.facts): a production date against the field, shelf lives
 * against each other, a manufacturer against the field; each listing has its own three-no
 * fields here. */
#define FACTS(cat, title, detail, day, maker)                                                      \
    "\"category\":\"" cat "\",\"title\":\"" title "\",\"detail\":\"" detail                        \
    "\",\"price\":\"10.00\",\"production_date\":\"" day "\",\"quality_cert\":\"SC1\","             \
    "\"manufacturer\":\"" maker "\""
static void test_consistency__facts_stated_twice(void **s)
{
    static const struct scase cases[] = {
        {"a production date the detail contradicts",
         FACTS("food.snacks", "饼干 300g", "生产日期：2025年06月18日；净含量300g", "2025-03-01",
               "味享食品有限公司"),
         "consistency.facts"},
        {"the same date written with dots",
         FACTS("food.snacks", "饼干 300g", "生产日期：2025.03.01", "2025-03-01",
               "味享食品有限公司"),
         ""},
        {"a month that holds the day",
         FACTS("baby.formula", "奶粉 1段 800g", "生产日期 2025年3月", "2025-03-20",
               "某乳业有限公司"),
         ""},
        {"a date shown on the package",
         FACTS("food.snacks", "饼干", "生产日期：见包装喷码", "2025-03-01", "某食品厂"), ""},
        {"where the date is printed, then the date",
         FACTS("baby.formula", "奶粉 2段 800g", "生产日期见罐底：2025年3月。适用6-12月龄",
               "2025-08-03", "某乳业有限公司"),
         "consistency.facts"},
        {"a date in characters after its label",
         FACTS("food.snacks", "蛋黄酥6枚", "生产日期是二零二五年十月的，新鲜", "2025-03-15",
               "某食品厂"),
         "consistency.facts"},
        {"a date in characters that agrees",
         FACTS("food.snacks", "蛋黄酥6枚", "生产日期二零二五年三月，新鲜", "2025-03-15",
               "某食品厂"),
         ""},
        {"a date before a production verb",
         FACTS("fresh.seafood", "大连鲍鱼 1kg", "2025年4月生产。节假日顺延发货", "2025-12-01",
               "某水产公司"),
         "consistency.facts"},
        {"a date in characters before 出厂",
         FACTS("home.kitchen", "碗碟套装", "二零二五年八月出厂的新货", "2023-11-05", "某瓷业公司"),
         "consistency.facts"},
        {"a date with slashes, a space, then 出厂",
         FACTS("digital.phones", "充电器 65W", "折叠插脚。2024/11/5 出厂。", "2025-05-05",
               "某电子公司"),
         "consistency.facts"},
        {"a date before a verb that agrees",
         FACTS("fresh.fruit", "蓝莓 2025年10月采摘", "十月新摘", "2025-10-08", "某农场"), ""},
        {"a date before a label that holds a verb (生产日期) is no production date",
         FACTS("food.snacks", "饼干", "有效期至2026年3月 生产日期：2025年3月1日", "2025-03-01",
               "某食品厂"),
         ""},
        {"a date before a word that is no production",
         FACTS("food.snacks", "饼干", "2025年4月上市的新口味", "2025-12-01", "某食品厂"), ""},
        {"two shelf lives",
         FACTS("food.snacks", "牛肉干 保质期12个月", "保质期：18个月", "2025-09-05", "某食品厂"),
         "consistency.facts"},
        {"a year is twelve months",
         FACTS("food.snacks", "牛肉干 保质期1年", "保质期：12个月", "2025-09-05", "某食品厂"), ""},
        {"days against months",
         FACTS("health.supplements", "蛋白粉 900g", "保质期：180天；本品保质期九个月", "2025-04-22",
               "某健康科技有限公司"),
         "consistency.facts"},
        {"a shelf life once opened",
         FACTS("food.snacks", "果酱 保质期18个月", "开封后保质期7天，请冷藏", "2025-09-05",
               "某食品厂"),
         ""},
        {"a shelf life chilled and frozen",
         FACTS("fresh.seafood", "虾仁 500g", "冷藏保质期3天，冷冻保质期12个月", "2025-09-05",
               "某水产公司"),
         ""},
        {"a manufacturer the field does not name",
         FACTS("food.snacks", "牛肉酱 200g", "生产商：上海某食品有限公司；净含量200g", "2025-09-05",
               "杭州味享食品有限公司"),
         "consistency.facts"},
        {"the field's name without its city",
         FACTS("food.snacks", "牛肉酱 200g", "生产商：杭州味享食品有限公司", "2025-09-05",
               "味享食品有限公司"),
         ""},
        {"a contract manufacturer",
         FACTS("beauty.skincare", "身体乳 400ml", "委托生产商：广州某日化有限公司", "2025-03-12",
               "某品牌管理有限公司"),
         ""},
        {"a manufacturer on the label",
         FACTS("baby.formula", "奶粉 1段 800g", "生产企业：见罐身标签", "2025-03-12",
               "某乳业有限公司"),
         ""},
    };
    run_as(cases, sizeof cases / sizeof cases[0], true);
}

/* consistency.spec.self_stating {class, categories} (not in the default policy: reading every
 * home listing's detail for its volumes cost 18% of the scanner's instructions): a lone volume
 * in running text states an appliance's capacity, and only in the categories named. */
static void test_consistency__a_class_self_stating_in_some_categories(void **s)
{
    (void)s;
    char path[1024];
    const char *src = getenv("SW_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/data/policy/default.json", src ? src : SW_SOURCE_DIR);
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    assert_non_null(doc);
    json_t *spec =
        json_object_get(json_object_get(json_object_get(doc, "scan"), "consistency"), "spec");
    json_object_set_new(
        spec, "self_stating",
        json_pack("[s,{s:s,s:[s]}]", "stage", "class", "volume", "categories", "home.*"));
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    struct sw_policy *p = NULL;
    struct sw_error err;
    assert_int_equal(sw_policy_load(text, strlen(text), &p, NULL, &err), SW_OK);
    free(text);
    static const char *const listings[] = {
        "{\"id\":\"a\",\"category\":\"home.kitchen\",\"title\":\"电饭煲 4L IH\","
        "\"detail\":\"电饭煲5L，IH加热。\"," COMPLETE "}",
        "{\"id\":\"b\",\"category\":\"beauty.skincare\",\"title\":\"精华 30ml\","
        "\"detail\":\"开封试用一次，剩余约28ml。\"," COMPLETE "}"};
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 2; k++) { /* the policy above, then the default */
            json_t *in = json_loads(listings[i], 0, &je);
            assert_non_null(in);
            struct sw_listing l;
            assert_int_equal(sw_listing_from_json(in, &l, &err), SW_OK);
            json_t *f = NULL;
            assert_int_equal(sw_scan((k == 0 ? p : pol)->scanner, &l, &f, &err), SW_OK);
            bool hit = false;
            size_t j;
            json_t *x;
            json_array_foreach(f, j, x)
            {
                hit |=
                    strcmp(json_string_value(json_object_get(x, "rule")), "consistency.spec") == 0;
            }
            assert_int_equal(hit, i == 0 && k == 0);
            json_decref(f);
            json_decref(in);
        }
    }
    sw_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consistency__discounts_regions_limits_and_servings),
        cmocka_unit_test(test_consistency__facts_stated_twice),
        cmocka_unit_test(test_consistency__a_class_self_stating_in_some_categories),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
