/* The thirty-seventh session's classes (docs/scan.md): a platform's short name inside a longer
 * word of letters names no platform (the pdd of LPDDR5X), so the amount beside it is read; then
 * the classes of the session's unseen sets.
 * Each listing with the rules it must fire and no other, under the default policy; each positive
 * with a near miss. */
#include "scan_cases.h"

static void test_words_inside_words(void **s)
{
    static const struct scase cases[] = {
        {"a phone's memory before its memory type",
         L("digital.phones", "小米14 8GB+256GB 全网通", "运行内存：12GB LPDDR5X\\n机身存储：256GB",
           ",\"brand\":\"小米\""),
         "consistency.spec"},
        {"the same memory before its memory type",
         L("digital.phones", "小米14 8GB+256GB 全网通", "运行内存：8GB LPDDR5X\\n机身存储：256GB",
           ",\"brand\":\"小米\""),
         ""},
        {"an amount in a platform's clause is the amount there",
         L("digital.phones", "小米14 8GB+256GB 全网通", "pdd上12GB的才卖这个价",
           ",\"brand\":\"小米\""),
         "diversion.other_platforms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_sets_packs_and_labels(void **s)
{
    static const struct scase cases[] = {
        {"a set's link that sells one piece",
         L("home.kitchen", "不粘锅三件套 炒锅+汤锅+奶锅", "本链接为炒锅单品，汤锅、奶锅需另拍",
           ",\"brand\":\"匠厨\""),
         "consistency.gifts"},
        {"a set's pieces, each of its own weight",
         L("home.kitchen", "不粘锅三件套 炒锅+汤锅+奶锅", "本链接为三件套，单件重量约1.2kg",
           ",\"brand\":\"匠厨\""),
         ""},
        {"a set of two whose spec is one piece",
         L("apparel.women", "运动套装女 两件套 卫衣+长裤", "规格：单件（仅上衣卫衣）\\n尺码：S-XL",
           ",\"brand\":\"跃动\""),
         "consistency.gifts"},
        {"a pack of ten whose list holds eight",
         L("home.kitchen", "玻璃保鲜盒 10只装 微波炉可用", "套装包含：保鲜盒×8（含盖）",
           ",\"brand\":\"晶彩\""),
         "consistency.gifts"},
        {"a pack of ten whose list holds ten",
         L("home.kitchen", "玻璃保鲜盒 10只装 微波炉可用", "套装包含：保鲜盒×10（含盖）",
           ",\"brand\":\"晶彩\""),
         ""},
        {"what comes with a pack is no piece of it",
         L("beauty.makeup", "化妆刷套装12支装带刷包", "套装含：散粉刷×6、眼影刷×6（共12支）+刷包×1",
           ",\"brand\":\"妍色\""),
         ""},
        {"a list that names some and counts them all",
         L("home.kitchen", "刀具套装 7件套", "包含：菜刀、水果刀、剪刀、磨刀棒等7件",
           ",\"brand\":\"锋厨\""),
         ""},
        {"a list that names some and counts another number",
         L("home.kitchen", "刀具套装 5件套", "包含：菜刀、水果刀、剪刀、磨刀棒等7件",
           ",\"brand\":\"锋厨\""),
         "consistency.gifts"},
        {"a charger in the box as standard, denied by the list",
         L("digital.phones", "5G手机 12+512G 标配含充电头",
           "包装清单：手机×1、数据线×1（不含充电头）", ",\"brand\":\"锐捷通\""),
         "consistency.gifts"},
        {"free shipping on any order against a freight",
         L("fresh.seafood", "三门青蟹 鲜活 2只装", "下单即包邮，冷链到家", ",\"freight\":\"8.00\""),
         "consistency.free_shipping"},
        {"free shipping on a condition against a freight",
         L("fresh.seafood", "三门青蟹 鲜活 2只装", "满两件即包邮，冷链到家",
           ",\"freight\":\"8.00\""),
         ""},
        {"shipped by JD against another carrier",
         L("health.supplements", "维生素B族片 100片", "京东发货 当日达",
           ",\"shipping_method\":\"zto_express\""),
         "consistency.carrier"},
        {"a model's edition against the detail's model joined to its brand",
         L("digital.phones", "迅影Z8 Pro 12+256G", "型号：迅影Z8\\n内存：12GB+256GB",
           ",\"brand\":\"迅影\""),
         "consistency.facts"},
        {"a model named without its code's dashed end",
         L("digital.phones", "续航怪兽Q7 7000mAh 老人机", "电池：7000mAh\\n型号：Q7-A2024",
           ",\"brand\":\"续航怪兽\""),
         ""},
        {"a manufacturer in a bracketed cell",
         L("home.kitchen", "禾川 电火锅 4L", "【生产企业】佛山市顺德区美锐电器制造有限公司",
           ",\"brand\":\"禾川\""),
         "consistency.facts"},
        {"a parameter's limit as a bracketed label",
         L("home.kitchen", "悦膳 破壁机 1.75L", "【最高转速】35000转/分\\n【最大流量】3T/h",
           ",\"brand\":\"悦膳\""),
         ""},
        {"a lowest price as a bracketed label",
         L("home.kitchen", "悦膳 破壁机 1.75L", "【最低价】9.9元", ",\"brand\":\"悦膳\""),
         "advertising.absolute_terms"},
        {"a phone's weight against another",
         L("digital.phones", "酷骁 K70 轻薄5G手机 仅重168g 8+256GB", "【机身重量】约199g（含电池）",
           ",\"brand\":\"酷骁\""),
         "consistency.spec"},
        {"a phone's network is no weight",
         L("digital.phones", "5G手机 8+256G", "重量：199g", ",\"brand\":\"酷骁\""), ""},
        {"what one order ships, said twice",
         L("beauty.makeup", "绯语丝绒口红 拍一发三 直播间福利",
           "规格：单支装 3.5g\\n拍1件发1支，颜色随机", ",\"brand\":\"绯语\""),
         "consistency.gifts"},
        {"what one order ships, said the same",
         L("beauty.makeup", "绯语丝绒口红 拍一发三 直播间福利", "拍1件发3支，颜色随机",
           ",\"brand\":\"绯语\""),
         ""},
        {"a hundred per cent without seeds",
         L("fresh.fruit", "沃柑 5斤装", "100%无籽，一口一个", ",\"brand\":\"果园\""),
         "advertising.absolute_terms"},
        {"a seedless variety, said plainly",
         L("fresh.fruit", "沃柑 5斤装", "无籽品种，一口一个", ",\"brand\":\"果园\""), ""},
        {"brows said to grow back",
         L("beauty.makeup", "染眉膏 自然棕", "坚持一个月眉毛自己就长出来", ",\"brand\":\"眉语\""),
         "efficacy.cosmetic_claims"},
        {"a wild brow is a look",
         L("beauty.makeup", "染眉膏 自然棕", "轻松画出野生眉，眉毛根根分明", ",\"brand\":\"眉语\""),
         ""},
        {"caking is no colour",
         L("beauty.makeup", "栖颜 持妆粉底液30ml 不卡粉", "【色号】01象牙白 / 02自然色",
           ",\"brand\":\"栖颜\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_inside_words),
        cmocka_unit_test(test_sets_packs_and_labels),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
