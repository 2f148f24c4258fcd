/* Second-hand, cross-border and live-stream listings (holdout50, docs/scan.md): a used item's
 * grade (成色), a phone's carrier lock, a shade code (色号) and a model (型号) stated in the
 * detail against the titles, the shipping method's codes (cold_chain, overseas_direct,
 * bonded_warehouse) read as the kinds they name, and a grade (99新) after a price word that is no
 * price; then holdout51's: a reference label in its table cell (【划线价】¥49.90), 不提供快递 and
 * a set's count (四件套 against a list of three).
 * Each positive with a near miss, under the default policy. */
#include "scan_cases.h"

static void test_grades__a_used_items_grade_in_two_places(void **s)
{
    static const struct scase cases[] = {
        {"99新 in the title, 成色：9成新 in the detail",
         L("digital.phones", "二手 iPhone 14 Pro 256G 99新", "成色：9成新，边框有磕碰", ""),
         "consistency.attributes"},
        {"the same grade written in characters",
         L("digital.phones", "二手 iPhone 14 Pro 256G 95新", "成色：九五新 无磕碰", ""), ""},
        {"a new model (全新) is no grade",
         L("digital.phones", "全新升级 星耀 X60 Pro", "成色：99新", ""), ""},
        {"a grade the detail does not label is not read",
         L("apparel.women", "95新 羊毛大衣", "99新的衣服不多见", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_grades__a_grade_after_a_price_word_is_no_price(void **s)
{
    static const struct scase cases[] = {
        {"直播价 99新",
         L("digital.phones", "直播价 99新 iPhone 13 128G", "成色：99新", ",\"price\": \"2599.00\""),
         ""},
        {"a real price after the word",
         L("digital.phones", "直播价 1999 iPhone 13 128G", "成色：99新", ",\"price\": \"2599.00\""),
         "consistency.price"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_lock__unlocked_against_locked(void **s)
{
    static const struct scase cases[] = {
        {"无锁 in the title, 有锁机 in the detail",
         L("digital.phones", "美版 iPhone 12 无锁 64G", "有锁机，需卡贴使用", ""),
         "consistency.attributes"},
        {"unlocked in both", L("digital.phones", "美版 iPhone 12 无锁 64G", "无锁版，插卡即用", ""),
         ""},
        {"a lock screen is no carrier lock",
         L("digital.phones", "美版 iPhone 12 无锁 64G", "有锁屏密码请先解除", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_codes__a_shade_in_the_detail_against_the_title(void **s)
{
    static const struct scase cases[] = {
        {"#01 in the title, 色号：#05 in the detail",
         L("beauty.makeup", "丝绒口红 #01 正红 3.5g", "色号：#05 豆沙色\\n净含量：3.5g", ""),
         "consistency.attributes consistency.facts"}, /* 豆沙色 is a pink, 正红 a red */
        {"01 before a colour's name, 色号：03",
         L("beauty.makeup", "粉底液 01象牙白 30ml", "色号：03 小麦色", ""), "consistency.facts"},
        {"the same shade", L("beauty.makeup", "丝绒口红 #01 正红", "色号：#01 正红色", ""), ""},
        {"a list of shades", L("beauty.makeup", "丝绒口红 #01", "色号：#01-#05 可选", ""), ""},
        {"two shades in the title", L("beauty.makeup", "口红礼盒 #01 #05", "色号：#05", ""), ""},
        {"the title's shade named in the detail too",
         L("beauty.makeup", "丝绒口红 #01", "色号：#05（#01已售罄，本链接发#05）", ""), ""},
        {"a year is no shade", L("beauty.makeup", "05年老店 丝绒口红", "色号：#03", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_codes__a_model_in_the_detail_against_the_title(void **s)
{
    static const struct scase cases[] = {
        {"Pro Max in the title, Pro in the detail",
         L("digital.phones", "二手 iPhone 12 Pro Max 128G",
           "【机型】iPhone 12 Pro\\n【屏幕】6.1英寸", ""),
         "consistency.facts"},
        {"another number", L("digital.phones", "华为 nova 12 256G", "型号：nova 11", ""),
         "consistency.facts"},
        {"the label read where its value is",
         L("digital.phones", "手机壳 iPhone15 透明", "请核对适用型号。\\n适用型号：iPhone 14", ""),
         "consistency.facts"},
        {"the same model, written together",
         L("digital.phones", "手机壳 iPhone15ProMax 磁吸", "适用型号：iPhone 15 Pro Max", ""), ""},
        {"a code after the model is not the model",
         L("digital.phones", "二手 iPhone 15 Pro Max 256G", "型号：iPhone 15 Pro Max A3108", ""),
         ""},
        {"a capacity is no model number",
         L("digital.phones", "二手 iPhone 128G 黑色", "型号：iPhone 15", ""), ""},
        {"a list of models in the title",
         L("digital.phones", "手机壳 适用iPhone 15/15 Pro", "适用机型：iPhone 15 Pro", ""), ""},
        {"a list of models in the detail",
         L("digital.phones", "适用iPhone 15 Pro 手机壳", "适用机型：iPhone 15/15 Plus", ""), ""},
        {"a model of another series", L("digital.phones", "OPPO Find X7 Ultra", "型号：PHY110", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_shipping__the_methods_codes_name_their_kinds(void **s)
{
    static const struct scase cases[] = {
        {"pick-up only against cold_chain",
         L("fresh.seafood", "冰鲜大黄鱼 2条装", "本品仅支持到店自提，不发快递。",
           ",\"shipping_method\": \"cold_chain\""),
         "consistency.attributes"},
        {"pick-up only against self_pickup",
         L("fresh.seafood", "冰鲜大黄鱼 2条装", "本品仅支持到店自提，不发快递。",
           ",\"shipping_method\": \"self_pickup\""),
         ""},
        {"a bonded warehouse against overseas_direct",
         L("baby.formula", "保税仓极速发 婴儿奶粉 800g", "跨境商品，清关后发出",
           ",\"shipping_method\": \"overseas_direct\""),
         "consistency.carrier"},
        {"a bonded warehouse against bonded_warehouse",
         L("baby.formula", "保税仓极速发 婴儿奶粉 800g", "跨境商品，清关后发出",
           ",\"shipping_method\": \"bonded_warehouse\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_prices__a_reference_label_closed_by_its_cell(void **s)
{
    static const struct scase cases[] = {
        {"【划线价】¥49.90 is a reference price",
         L("food.snacks", "香草味威化饼干 1kg", "【划线价】¥49.90 【售价】¥39.90",
           ",\"price\": \"39.90\""),
         ""},
        {"【售价】¥49.90 is the price",
         L("food.snacks", "香草味威化饼干 1kg", "【售价】¥49.90", ",\"price\": \"39.90\""),
         "consistency.price"},
        {"a price after the reference's amount is still read",
         L("food.snacks", "香草味威化饼干 1kg", "【划线价】¥59.90 【售价】¥49.90",
           ",\"price\": \"39.90\""),
         "consistency.price"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_shipping__no_courier_offered_is_pick_up_only(void **s)
{
    static const struct scase cases[] = {
        {"不提供快递 of a self_pickup listing",
         L("fresh.fruit", "门店自提 草莓 2斤", "【提货】下单后次日到门店自提，不提供快递",
           ",\"shipping_method\": \"self_pickup\""),
         ""},
        {"不提供快递 of an express listing",
         L("fresh.fruit", "草莓 2斤", "【提货】下单后次日到门店自提，不提供快递",
           ",\"shipping_method\": \"express\""),
         "consistency.attributes"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_sets__a_sets_count_against_its_list(void **s)
{
    static const struct scase cases[] = {
        {"四件套 against three listed",
         L("beauty.skincare", "小黑瓶护肤四件套 礼盒",
           "【套装内含】\\n1. 精华 30ml\\n2. 眼霜 5ml\\n3. 水 50ml", ""),
         "consistency.gifts"},
        {"6件套 against four after 包含",
         L("home.kitchen", "德式刀具6件套 带刀架", "包含：切片刀、水果刀、剪刀、刀架。", ""),
         "consistency.gifts"},
        {"4件套 against 3个盒+3个盖",
         L("home.kitchen", "玻璃保鲜盒4件套", "套装：3个玻璃盒+3个卡扣盖（370/640/1040ml）。", ""),
         "consistency.gifts"},
        {"a count per item",
         L("home.kitchen", "餐具16件套", "套装：碗×4、汤盘×4、平盘×4、小碟×4（共16件）", ""), ""},
        {"a total after the list, and the next cell",
         L("home.kitchen", "刀具6件套", "套装清单：菜刀、切片刀、水果刀、剪刀、磨刀棒、刀座，共6件",
           ""),
         ""},
        {"a total before the list",
         L("beauty.skincare", "护肤5件套",
           "套装内含5件：洁面乳100g、爽肤水120ml、乳液100ml、精华30ml、面霜50g。", ""),
         ""},
        {"gifts and papers are no pieces",
         L("apparel.women", "睡衣两件套", "套装：上衣、长裤、赠发圈、说明书", ""), ""},
        {"what the next cell says is not the list",
         L("home.kitchen", "刀具5件套",
           "【套装】中片刀、多用刀、水果刀、剪刀、刀座各1【材质】不锈钢", ""),
         ""},
        {"a word 套装 that labels nothing",
         L("home.kitchen", "刀具5件套", "家用菜刀套装，送礼自用", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grades__a_used_items_grade_in_two_places),
        cmocka_unit_test(test_grades__a_grade_after_a_price_word_is_no_price),
        cmocka_unit_test(test_lock__unlocked_against_locked),
        cmocka_unit_test(test_codes__a_shade_in_the_detail_against_the_title),
        cmocka_unit_test(test_codes__a_model_in_the_detail_against_the_title),
        cmocka_unit_test(test_shipping__the_methods_codes_name_their_kinds),
        cmocka_unit_test(test_prices__a_reference_label_closed_by_its_cell),
        cmocka_unit_test(test_shipping__no_courier_offered_is_pick_up_only),
        cmocka_unit_test(test_sets__a_sets_count_against_its_list),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
