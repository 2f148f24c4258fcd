/* A title's opening name that the detail marks as the goods' brand, and a list of colours that
 * the titles count (docs/scan.md, "Brand" and "Specifications"): each listing with the rules it
 * must fire and no other, under the default policy. */
#include "scan_cases.h"

static void test_names__a_title_opening_with_another_brand_the_detail_marks(void **s)
{
    static const struct scase cases[] = {
        {"the detail calls the name genuine",
         L("digital.phones", "海岚 A5 老人手机 超长待机", "海岚原装正品，一键拨号",
           ",\"brand\":\"星朗\""),
         "consistency.brand"},
        {"an authorised name",
         L("health.supplements", "康维力 辅酶Q10软胶囊", "康维力官方授权，直播间专供",
           ",\"brand\":\"益元堂\""),
         "consistency.brand"},
        {"the brand field's own name",
         L("digital.phones", "星朗 A5 老人手机", "星朗原装正品", ",\"brand\":\"星朗\""), ""},
        {"a name the detail does not mark",
         L("home.kitchen", "保温杯 500ml 新年礼盒", "保温杯采用316不锈钢内胆",
           ",\"brand\":\"暖杯\""),
         ""},
        {"a place's goods",
         L("health.supplements", "澳洲 钙片 150粒", "澳洲原装进口", ",\"brand\":\"诺维塔\""), ""},
        {"the brand field named in the title too",
         L("beauty.skincare", "雪漾 水漾 面膜 10片", "水漾原装，雪漾出品", ",\"brand\":\"雪漾\""),
         ""},
        {"a brand field in letters",
         L("digital.phones", "海岚 A5 老人手机", "海岚原装正品", ",\"brand\":\"HAILAN\""), ""},
        {"no brand field", L("digital.phones", "海岚 A5 老人手机", "海岚原装正品", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_lists__colours_listed_against_the_titles_count(void **s)
{
    static const struct scase cases[] = {
        {"fewer colours listed",
         L("beauty.makeup", "【6色可选】丝绒口红",
           "颜色分类：#01正红 / #02豆沙 / #03枫叶 / #04奶茶", ""),
         "consistency.spec"},
        {"as many listed",
         L("apparel.women", "针织开衫 4色", "颜色：米白 / 雾粉 / 浅灰 / 藏青", ""), ""},
        {"listed with a 、", L("apparel.women", "开衫 短款 3色", "颜色：燕麦色、黑色\\n均码", ""),
         "consistency.spec"},
        {"the count said after the list is not one of them",
         L("apparel.women", "针织背心 三色可选", "颜色：黑 / 白 / 灰 三色。", ""), ""},
        {"the list ends with its sentence",
         L("digital.phones", "星朗 K50i 4色可选", "颜色：曜黑 / 冰白 / 湖蓝，三色现货。", ""),
         "consistency.spec"},
        {"a shade's code and its name are one",
         L("beauty.makeup", "眼影盘 12色 #03", "色号：#03 蜜桃乌龙", ""), ""},
        {"items that carry counts are no plain list",
         L("beauty.makeup", "【12色】眼影盘", "颜色：四个哑光、三个珠光、两个亮片", ""), ""},
        {"one colour says nothing of the count", L("apparel.women", "打底衫 3色", "颜色：黑色", ""),
         ""},
        {"no count in the titles", L("apparel.women", "打底衫", "颜色：黑 / 白", ""), ""},
        {"fewer pieces in the set",
         L("home.kitchen", "保温饭盒 四件套", "套餐含：饭盒主体×1、汤碗×1、勺子×1\\n容量：1.2L",
           ""),
         "consistency.spec"},
        {"pieces counted with their multiples, parted by bars",
         L("food.snacks", "年货大礼包 16件套", "清单：坚果×4 ｜ 肉脯×2 ｜ 糕点×6 ｜ 饮料×4", ""),
         ""},
        {"paperwork is no piece",
         L("home.kitchen", "刀具 三件套",
           "包装清单：菜刀、水果刀、剪刀、说明书、保修卡\\n材质：不锈钢", ""),
         ""},
        {"a shade's code is no count",
         L("beauty.makeup", "口红 #01#02#03 色号齐全", "色号:01正红/02豆沙/03枫叶|净含量=3.5g", ""),
         ""},
        {"a colour word in running text is no list",
         L("apparel.women", "打底衫 3色", "这件颜色很正，黑 白 都好看", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_tables__cells_durations_and_delivery(void **s)
{
    static const struct scase cases[] = {
        {"a brand in a table's cell",
         L("beauty.makeup", "散粉 8g", "规格参数：品牌｜绯妆　净含量｜8g", ",\"brand\":\"瑰研\""),
         "consistency.brand"},
        {"the brand field's own cell",
         L("beauty.makeup", "散粉 8g", "品牌｜瑰研　净含量｜8g", ",\"brand\":\"瑰研\""), ""},
        {"a brand after a slash",
         L("food.snacks", "山核桃仁 250g", "品牌/山里福\\n规格/250g", ",\"brand\":\"山核王\""),
         "consistency.brand"},
        {"a word after 品牌 is no cell",
         L("food.snacks", "山核桃仁 250g", "品牌授权，正品保障", ",\"brand\":\"山核王\""), ""},
        {"a price in a label's cell",
         L("health.supplements", "钙片 200粒", "【售价】199元/瓶", ",\"price_fen\":12900"),
         "consistency.price"},
        {"the price in a label's cell",
         L("health.supplements", "钙片 200粒", "【售价】129元", ",\"price_fen\":12900"), ""},
        {"a warranty before its label", L("home.kitchen", "3年质保 破壁机", "售后：保修期1年", ""),
         "consistency.facts"},
        {"the same warranty said twice",
         L("digital.phones", "老人机 一年保修 7天无理由", "整机保修一年，电池保修半年", ""), ""},
        {"a shelf life in a table's cell",
         L("beauty.skincare", "眼霜 20g 保质期3年", "净含量｜20g　保质期｜24个月", ""),
         "consistency.facts"},
        {"flavours listed",
         L("baby.formula", "婴儿米粉 原味+蔬菜+胡萝卜 3口味",
           "口味：原味 / 胡萝卜味\\n净含量：225g/盒", ""),
         "consistency.spec"},
        {"sheets drawn", L("beauty.makeup", "卸妆湿巾 80抽", "规格：25抽×2包", ""),
         "consistency.spec"},
        {"pick-up only against a courier",
         L("fresh.fruit", "脐橙 5斤", "只做同城自提，到门店取货，不发快递哦",
           ",\"shipping_method\":\"express\""),
         "consistency.attributes"},
        {"pick-up as an option", L("fresh.fruit", "脐橙 5斤 顺丰发货", "也可到店自提", ""), ""},
        {"a weight lost is no weight of the goods",
         L("food.snacks", "魔芋爽 代餐 一个月瘦10斤", "规格：18g×30包", ""),
         "efficacy.food_claims"},
        {"a tolerance is no spec",
         L("fresh.seafood", "大闸蟹 公4两母3两 8只", "规格：公蟹4两、母蟹3两，共8只，误差±0.2两",
           ""),
         ""},
        {"one of them doing something is no count",
         L("health.supplements", "褪黑素软糖 一粒睡到天亮", "规格：2.5g×60粒", ""), ""},
        {"one jin packed is a weight", L("fresh.fruit", "草莓 一斤装", "净重：2斤", ""),
         "consistency.spec"},
        {"no return insurance given",
         L("home.kitchen", "保温饭盒", "本品未赠运费险，退货运费买家承担",
           ",\"after_sales\":[\"seven_day_return\"]"),
         ""},
        {"free shipping from two pieces up",
         L("fresh.fruit", "沃柑 9斤 满2件包邮", "单件运费5元，拍2件及以上包邮。",
           ",\"freight_fen\":500"),
         ""},
        {"a courier against pick-up only",
         L("food.snacks", "话梅 500g 全国顺丰发货", "酸甜开胃",
           ",\"shipping_method\":\"self_pickup\""),
         "consistency.attributes"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_gifts__what_the_title_gives_against_the_detail(void **s)
{
    static const struct scase cases[] = {
        {"a gift the detail denies",
         L("digital.phones", "海讯 P60 12+512G 含充电器",
           "包装清单：手机×1、数据线×1\\n备注：不含充电器", ""),
         "consistency.gifts"},
        {"a gift left out of the detail's gifts",
         L("beauty.skincare", "洁面乳 100g 加赠洁面仪", "赠品：洁面乳50ml", ""),
         "consistency.gifts"},
        {"a gift named by its kind",
         L("beauty.makeup", "12色眼影盘 送化妆刷", "【赠品】眼影刷1支", ""), ""},
        {"one of two gifts missing",
         L("home.kitchen", "炒锅 32cm 送锅铲+锅盖", "套装内容：炒锅×1、锅盖×1", ""),
         "consistency.gifts"},
        {"a gift another item's part is denied of",
         L("home.kitchen", "炖锅 3L 赠玻璃锅盖", "赠品说明：不含锅盖，锅盖需另购", ""),
         "consistency.gifts"},
        {"a present for someone is no gift",
         L("apparel.women", "【送婆婆】加绒打底裤", "赠送运费险，面料：锦纶82%", ""), ""},
        {"the gift in the detail", L("food.snacks", "坚果礼盒 送开果器", "赠品：开果器1个", ""),
         ""},
        {"no list and no denial", L("food.snacks", "坚果礼盒 送开果器", "每日坚果，独立包装", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

/* Cases an adversarial review of the classes above found (each was a false finding or a miss). */
static void test_review__lists_cells_durations_and_gifts_at_their_edges(void **s)
{
    static const struct scase cases[] = {
        {"a list ends before the next label",
         L("apparel.women", "T恤 2色可选", "颜色：黑色/白色 尺码：M/L", ""), ""},
        {"words after a parted list are the last item's",
         L("apparel.women", "T恤 2色可选", "颜色：黑色/白色 百搭显瘦 舒适透气", ""), ""},
        {"a closing bracket ends a list",
         L("apparel.women", "T恤 2色可选", "【颜色：黑色/白色】 百搭 显瘦", ""), ""},
        {"a size is no count of pieces",
         L("home.kitchen", "纯棉床上三件套", "套装内容：被套、床单、枕套48*74", ""), ""},
        {"a list with no other label in the detail",
         L("beauty.makeup", "口红 6色可选", "色号：#01正红/#02豆沙/#03枫叶/#04奶茶", ""),
         "consistency.spec"},
        {"shade codes parted by spaces",
         L("beauty.makeup", "口红 4色可选", "色号：#01 #02 #03 #04", ""), ""},
        {"a slimming word before a colour count",
         L("apparel.women", "连衣裙 收腰显瘦 2色可选", "颜色：黑色/白色/红色", ""),
         "consistency.spec"},
        {"one jin in a title is a weight", L("fresh.fruit", "新鲜蓝莓 一斤包邮", "净重：2斤", ""),
         "consistency.spec"},
        {"a header cell is no brand",
         L("beauty.makeup", "口红 3.5g", "品牌｜产地｜规格\\n绯妆｜广州｜3.5g",
           ",\"brand\":\"绯妆\""),
         ""},
        {"the detail names the brand field",
         L("home.kitchen", "保温杯 316不锈钢", "富光保温杯正品保障", ",\"brand\":\"富光\""), ""},
        {"an age range is no shelf life",
         L("baby.formula", "奶粉 1段 800g 保质期两年", "适用月龄：0-6个月 保质期：24个月", ""), ""},
        {"a year is no warranty",
         L("digital.phones", "老人机 一年保修", "上市时间：2024年 保修期：12个月", ""), ""},
        {"a word that only starts a gift list",
         L("beauty.skincare", "保湿面霜 送化妆棉", "赠品随机发放，以实物为准。", ""), ""},
        {"a denial of another clause",
         L("digital.phones", "老人手机 含充电器", "价格不含税，充电器为原装快充", ""), ""},
        {"free of a substance is no denial",
         L("home.kitchen", "炒锅 送锅铲", "赠品：锅铲，锅铲不含双酚A", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names__a_title_opening_with_another_brand_the_detail_marks),
        cmocka_unit_test(test_lists__colours_listed_against_the_titles_count),
        cmocka_unit_test(test_tables__cells_durations_and_delivery),
        cmocka_unit_test(test_gifts__what_the_title_gives_against_the_detail),
        cmocka_unit_test(test_review__lists_cells_durations_and_gifts_at_their_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
