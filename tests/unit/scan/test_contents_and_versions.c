/* The thirty-eighth session's classes (docs/scan.md), from its unseen sets (holdout135-137):
 * a content said per the same basis (每片含钙600mg against 每片含：钙300mg) and a basis that is
 * no amount (每100g含); a Bluetooth version; a power in kW; a content of a fibre against whole
 * contents without it; 9.9秒杀 as a price; a hundred per cent of a rate or of an absence;
 * 1688 as a place to buy; 死一赔一 as a promise of compensation.
 * Each listing with the rules it must fire and no other, under the default policy; each positive
 * with a near miss. */
#include "scan_cases.h"

static void test_contents_per_basis(void **s)
{
    static const struct scase cases[] = {
        {"a tablet's calcium, twice as much in the title",
         L("health.supplements", "骨力佳 钙片 每片含钙500mg 60片",
           "每片含：钙250mg、维生素D3 5μg\\n规格：1.2g×60片", ",\"brand\":\"骨力佳\""),
         "consistency.spec"},
        {"the same calcium, said as a salt and as calcium",
         L("health.supplements", "骨力佳 钙片 每片含钙500mg 60片",
           "每片含碳酸钙1250mg（相当于钙500mg）\\n规格：1.2g×60片", ",\"brand\":\"骨力佳\""),
         ""},
        {"a salt's amount is no calcium's",
         L("health.supplements", "骨力佳 钙片 每片含钙500mg 60片",
           "每片含碳酸钙1250mg\\n规格：1.2g×60片", ",\"brand\":\"骨力佳\""),
         ""},
        {"per a hundred grams against per tablet",
         L("health.supplements", "骨力佳 钙片 每片含钙500mg 60片",
           "每100g含钙40g\\n规格：1.2g×60片", ",\"brand\":\"骨力佳\""),
         ""},
        {"a sachet's bacteria, thrice as many in the title",
         L("health.supplements", "畅益 益生菌冻干粉 每袋450亿活菌 30袋",
           "每袋活菌数150亿CFU\\n规格：2g×30袋", ",\"brand\":\"畅益\""),
         "consistency.spec"},
        {"a lower bound of bacteria agrees with more",
         L("health.supplements", "畅益 益生菌冻干粉 每袋450亿活菌 30袋",
           "每袋活菌数≥150亿CFU\\n规格：2g×30袋", ",\"brand\":\"畅益\""),
         ""},
        {"a serving's protein against a hundred grams' protein",
         L("health.supplements", "健力源 乳清蛋白粉 每份含蛋白质20g 900g",
           "营养成分：每100g含蛋白质80g\\n每次25g（约含蛋白质20g）\\n净含量：900g",
           ",\"brand\":\"健力源\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_versions_power_and_fibres(void **s)
{
    static const struct scase cases[] = {
        {"a Bluetooth version the detail states otherwise",
         L("digital.phones", "运动蓝牙耳机 蓝牙5.4 挂耳式", "蓝牙版本：5.1\\n续航：8小时",
           ",\"brand\":\"声跃\""),
         "consistency.attributes"},
        {"a Bluetooth version the goods work with",
         L("digital.phones", "运动蓝牙耳机 蓝牙5.4 挂耳式", "兼容蓝牙4.2及以上设备\\n续航：8小时",
           ",\"brand\":\"声跃\""),
         ""},
        {"a used phone's battery health below the title's bound",
         L("digital.phones", "二手 iPhone 13 128G 电池健康95%以上", "电池效率：86%\\n容量：128GB",
           ",\"brand\":\"Apple\""),
         "consistency.spec"},
        {"a used phone's battery health above the title's bound",
         L("digital.phones", "二手 iPhone 13 128G 电池90%+ 实体店", "电池健康：91%\\n容量：128GB",
           ",\"brand\":\"Apple\""),
         ""},
        {"a used phone's battery health, the same",
         L("digital.phones", "二手 iPhone 13 128G 电池100%", "电池健康度：100%\\n容量：128GB",
           ",\"brand\":\"Apple\""),
         ""},
        {"a kettle's power in kW, another one",
         L("home.kitchen", "家用电热水壶 2000W 1.8L", "额定功率：1.5kW\\n容量：1.8L",
           ",\"brand\":\"沸点\""),
         "consistency.spec"},
        {"a kettle's power in kW, the same",
         L("home.kitchen", "家用电热水壶 2000W 1.8L", "额定功率：2kW\\n容量：1.8L",
           ",\"brand\":\"沸点\""),
         ""},
        {"a fibre's content against whole contents without it",
         L("apparel.women", "90%棉 圆领T恤 女 宽松", "【成分】粘纤 95% 氨纶 5%\\n【尺码】S M L",
           ",\"brand\":\"素衫\""),
         "consistency.spec"},
        {"a fibre's content the contents state",
         L("apparel.women", "90%棉 圆领T恤 女 宽松", "【成分】棉 90% 氨纶 10%\\n【尺码】S M L",
           ",\"brand\":\"素衫\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_prices_claims_and_promises(void **s)
{
    static const struct scase cases[] = {
        {"a title's flash-sale price that is not the price",
         L("food.snacks", "手撕牛肉干 200g 19.9秒杀", "净含量：200g",
           ",\"brand\":\"牧边\",\"price\":\"25.90\""),
         "consistency.price"},
        {"a title's flash-sale price that is the price",
         L("food.snacks", "手撕牛肉干 200g 19.9秒杀", "净含量：200g",
           ",\"brand\":\"牧边\",\"price\":\"19.90\""),
         ""},
        {"seconds to kill germs are no price",
         L("home.kitchen", "奶瓶消毒柜 30秒杀菌 大容量", "容量：20L",
           ",\"brand\":\"净宝\",\"price\":\"299.00\""),
         ""},
        {"a rate of killing said to be a hundred per cent",
         L("home.kitchen", "砧板消毒机 家用", "除菌率100%，放心切菜\\n功率：20W",
           ",\"brand\":\"净宝\""),
         "advertising.absolute_terms"},
        {"a rate of killing measured",
         L("home.kitchen", "砧板消毒机 家用", "除菌率99.9%（检测报告见详情图）\\n功率：20W",
           ",\"brand\":\"净宝\""),
         ""},
        {"a hundred per cent of no hidden fault",
         L("digital.phones", "华为P50 二手 100%无暗病 8+256G", "内存：8GB+256GB",
           ",\"brand\":\"华为\""),
         "advertising.absolute_terms"},
        {"a battery's health, then a fact",
         L("digital.phones", "华为P50 二手 8+256G", "电池100% 无拆修\\n内存：8GB+256GB",
           ",\"brand\":\"华为\""),
         ""},
        {"1688 as the place to order",
         L("digital.phones", "数据线 快充 1米", "采购量大请到1688下单\\n长度：1米",
           ",\"brand\":\"速连\""),
         "diversion.other_platforms"},
        {"1688 as a price",
         L("digital.phones", "平板电脑 10英寸 8+128G", "到手价1688元\\n屏幕：10英寸",
           ",\"brand\":\"速连\",\"price\":\"1688.00\""),
         ""},
        {"one dead, one paid for, without the service",
         L("fresh.seafood", "鲜活大闸蟹 8只装", "到货死一赔一，拍照联系客服\\n规格：8只",
           ",\"brand\":\"湖鲜\",\"after_sales\":[\"seven_day_return\"]"),
         "consistency.after_sales"},
        {"one dead, one paid for, with the service",
         L("fresh.seafood", "鲜活大闸蟹 8只装", "到货死一赔一，拍照联系客服\\n规格：8只",
           ",\"brand\":\"湖鲜\",\"after_sales\":[\"bad_item_compensation\"]"),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

/* What an adversarial pass on the classes above found (/work/adv38, outside the repository). */
static void test_what_an_adversary_found(void **s)
{
    static const struct scase cases[] = {
        {"a spend threshold of 1688 is no platform",
         L("digital.phones", "蓝牙音箱 便携", "满1688下单享9折\\n功率：10W", ",\"brand\":\"声跃\""),
         ""},
        {"a price said in two parts before 秒杀",
         L("food.snacks", "香辣鱼仔 9块9秒杀", "净含量：100g",
           ",\"brand\":\"渔乡\",\"price\":\"9.90\""),
         ""},
        {"a promise taken back right after it",
         L("fresh.seafood", "鲜活大闸蟹 8只装", "7天无理由不适用生鲜\\n规格：8只",
           ",\"brand\":\"湖鲜\",\"after_sales\":[\"fast_refund_unshipped\"]"),
         ""},
        {"a promise taken back right before it",
         L("fresh.seafood", "冷冻虾仁 500g", "冷冻品不适用死一赔一\\n规格：500g",
           ",\"brand\":\"湖鲜\",\"after_sales\":[]"),
         ""},
        {"a promise kept",
         L("fresh.seafood", "鲜活大闸蟹 8只装", "到货死一赔一\\n规格：8只",
           ",\"brand\":\"湖鲜\",\"after_sales\":[]"),
         "consistency.after_sales"},
        {"a title's tag of a selling point is no brand",
         L("beauty.makeup", "【大牌平替】丝绒雾面口红 #02", "色号：#02\\n净含量：3.5g",
           ",\"brand\":\"绒语\""),
         ""},
        {"a title's tag that names a brand is one",
         L("beauty.makeup", "【花语阁】丝绒雾面口红 #02", "色号：#02\\n净含量：3.5g",
           ",\"brand\":\"绒语\""),
         "consistency.brand"},
        {"a content in a cell's label, another per the same basis",
         L("health.supplements", "益生菌冻干粉 每袋450亿活菌 20袋",
           "【规格】2g×20袋\\n【每袋活菌数】150亿CFU", ",\"brand\":\"畅益\""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contents_per_basis),
        cmocka_unit_test(test_versions_power_and_fibres),
        cmocka_unit_test(test_prices_claims_and_promises),
        cmocka_unit_test(test_what_an_adversary_found),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
