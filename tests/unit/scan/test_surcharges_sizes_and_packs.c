/* Regional surcharges against an unconditional free-shipping claim, sizes the titles list that
 * the size labels leave out, an amount times another count, the weight of a listing that sells
 * one piece, dispatch times stated twice, and a review's near misses of them (docs/scan.md):
 * each listing with the rules it must fire and no other, under the default policy. Written from
 * the rules, each positive with a near miss. */
#include "scan_cases.h"

static void test_freight__a_surcharge_some_buyers_pay_against_free_shipping(void **s)
{
    static const struct scase cases[] = {
        {"an amount some regions pay on top",
         L("fresh.fruit", "赣南脐橙 10斤装 包邮", "规格：10斤装\\n运费：偏远地区及乡镇加收10元",
           ""),
         "consistency.free_shipping"},
        {"other regions pay on top",
         L("fresh.fruit", "烟台苹果 5斤 包邮", "运费：江浙沪包邮，其他地区每单加收8元运费。",
           ",\"freight\":\"0.00\""),
         "consistency.free_shipping"},
        {"three provinces pay on top",
         L("digital.phones", "锐米 Note14 5G手机 全网包邮",
           "全国包邮，新疆、西藏、青海订单另付运费 20 元", ",\"freight\":\"0.00\""),
         "consistency.free_shipping"},
        {"the claim states its exception",
         L("fresh.fruit", "赣南脐橙 10斤装 包邮（偏远地区除外）", "运费：偏远地区加收10元",
           ",\"freight\":\"0.00\""),
         ""},
        {"a conditional claim",
         L("fresh.fruit", "赣南脐橙 10斤装 满99包邮", "运费：偏远地区加收10元", ""), ""},
        {"no claim, a known freight of 0 and a regional surcharge",
         L("fresh.fruit", "赣南脐橙 10斤装", "新疆、西藏加收10元", ",\"freight\":\"0.00\""), ""},
        {"the claim names the remote areas' surcharge as its exception",
         L("home.kitchen", "陶瓷餐具22头 包邮（偏远地区补运费）", "偏远地区补运费15元。",
           ",\"freight\":\"0.00\""),
         ""},
        {"one pack's price of a two-pack listing",
         L("food.snacks", "原味猪肉脯 2包 每包200g",
           "单包价格19.90元，本链接为2包装，合计39.80元。", ",\"price\":\"39.80\""),
         ""},
        {"remote areas make up the freight",
         L("beauty.skincare", "氨基酸洗面奶 包邮", "120g 温和不紧绷\\n偏远地区运费另补10元",
           ",\"freight\":\"0.00\""),
         "consistency.free_shipping"},
        {"the freight charged apart",
         L("fresh.seafood", "黑虎虾 大号 包邮", "冷链运费单独收15", ",\"freight\":\"0.00\""),
         "consistency.free_shipping"},
        {"no surcharge at all",
         L("fresh.fruit", "赣南脐橙 10斤装 包邮", "全国包邮，顺丰发货", ",\"freight\":\"0.00\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_sizes__a_size_the_titles_list_and_the_labels_leave_out(void **s)
{
    static const struct scase cases[] = {
        {"the titles' smallest size is not there",
         L("apparel.women", "法式碎花连衣裙 收腰 S-XL", "尺码：M / L / XL / XXL\\n面料：聚酯纤维",
           ""),
         "consistency.spec"},
        {"the titles' largest size is not there",
         L("apparel.women", "阔腿西装裤女 垂感 M-3XL", "尺码：S M L XL\\n颜色：黑", ""),
         "consistency.spec"},
        {"every size the titles list is there",
         L("apparel.women", "法式碎花连衣裙 S-XL", "尺码：S / M / L / XL / XXL", ""), ""},
        {"a size table read to the end of its sentence",
         L("apparel.women", "法式碎花雪纺连衣裙 S-XL",
           "尺码表 S：衣长105 胸围86 腰围68｜M：衣长106 胸围90 腰围72｜L：衣长107 胸围94 腰围76"
           "｜XL：衣长108 胸围98 腰围80（单位cm）。",
           ""),
         ""},
        {"one size in the titles is not a list",
         L("apparel.women", "打底衫 M码", "尺码：M / L", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_packs__an_amount_times_another_count(void **s)
{
    static const struct scase cases[] = {
        {"five bags in the title, four in the spec",
         L("food.snacks", "夏威夷果 200g×5 年货节", "规格：200g×4袋\\n口味：奶油", ""),
         "consistency.spec"},
        {"each bag, five of them", L("food.snacks", "夏威夷果 每袋 200g×5", "规格：200g×4袋", ""),
         "consistency.spec"},
        {"the same count", L("food.snacks", "夏威夷果 200g×5", "规格：200g×5袋", ""), ""},
        {"the title's count is one of the variants",
         L("food.snacks", "夏威夷果 200g×5袋", "规格：200g×4袋 / 200g×5袋", ""), ""},
        {"a second count multiplies the spec's",
         L("food.snacks", "挂耳咖啡 10g×30包", "规格：10g×15包×2盒", ""), ""},
        {"a second count multiplies the title's",
         L("food.snacks", "挂耳咖啡 10g×15包×2盒", "规格：10g×30包", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_one_piece__the_titles_weight_is_the_pieces(void **s)
{
    static const struct scase cases[] = {
        {"one durian, another weight per fruit",
         L("fresh.fruit", "泰国金枕榴莲带壳6-7斤1个装", "规格：单果4-5斤\\n产地：泰国", ""),
         "consistency.spec"},
        {"one durian, its weight in the range",
         L("fresh.fruit", "泰国金枕榴莲带壳6-7斤1个装", "规格：单果6.5斤\\n产地：泰国", ""), ""},
        {"several pieces: the weight is the box's",
         L("fresh.seafood", "帝王蟹 整只 4只装 12斤", "规格：单只3斤", ""), ""},
        {"no piece named: the weight is the box's",
         L("fresh.fruit", "泰国金枕榴莲带壳 12斤", "规格：单果4-5斤", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_dispatch__the_titles_time_against_the_details(void **s)
{
    static const struct scase cases[] = {
        {"in stock in 24 hours, pre-sale in 15 days",
         L("beauty.skincare", "氨基酸洁面乳 现货24小时发货", "预售，付款后15天内发货。", ""),
         "consistency.attributes consistency.facts"},
        {"48 hours against 5-7 days",
         L("food.snacks", "坚果礼盒 48小时内发货", "下单后5-7天发货，请耐心等待。", ""),
         "consistency.facts"},
        {"the same day against 7 days, dispatched bit by bit",
         L("fresh.fruit", "猕猴桃 当日发货 30个", "付款后7天内陆续发货，先拍先发。", ""),
         "consistency.facts"},
        {"the same time said twice",
         L("food.snacks", "坚果礼盒 48小时发货", "现货，48小时内发货。", ""), ""},
        {"another variant's time beside the titles' one",
         L("apparel.women", "毛呢半身裙 现货48小时发货", "现货款48小时内发货，预售款15天内发货。",
           ""),
         ""},
        {"a holiday's longer time is some orders'",
         L("food.snacks", "坚果礼盒 48小时发货", "春节期间7天内发货。", ""), ""},
        {"no time in the titles", L("food.snacks", "坚果礼盒 750g", "7天内发货。", ""), ""},
        {"a title's event tag is no condition",
         L("apparel.women", "毛呢半身裙 双11 现货 48小时发货", "预售款，下单后15天内发货", ""),
         "consistency.attributes consistency.facts"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_facts__a_title_shelf_life_after_its_goods_name(void **s)
{
    static const struct scase cases[] = {
        {"the formula's name before the title's shelf life",
         L("baby.formula", "羊奶粉 幼儿配方 保质期36个月 800g", "保质期：24个月。", ""),
         "consistency.facts"},
        {"a qualified shelf life in the detail is another condition",
         L("baby.formula", "羊奶粉 保质期24个月 800g", "保质期：24个月，开罐后保质期4周。", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_review__words_that_are_no_surcharge_dispatch_or_list(void **s)
{
    static const struct scase cases[] = {
        {"加收藏 is a follow",
         L("food.snacks", "坚果礼盒 包邮", "关注店铺加收藏，优先发货", ",\"freight\":\"0.00\""),
         ""},
        {"nothing charged on top",
         L("food.snacks", "坚果礼盒 包邮", "本店所有商品绝不加收任何费用", ",\"freight\":\"0.00\""),
         ""},
        {"another gift received",
         L("food.snacks", "坚果礼盒 包邮", "另收一个锅铲作为赠品", ",\"freight\":\"0.00\""), ""},
        {"freight collect as an option",
         L("food.snacks", "坚果礼盒 包邮", "如需顺丰可选顺丰到付", ",\"freight\":\"0.00\""), ""},
        {"freight collect by default",
         L("digital.phones", "米唯Note12 包邮 8+256G", "默认顺丰到付发货。",
           ",\"freight\":\"0.00\""),
         "consistency.free_shipping"},
        {"cash on delivery is no freight",
         L("digital.phones", "米唯Note12 包邮 8+256G", "支持货到付款。", ",\"freight\":\"0.00\""),
         ""},
        {"a claim that includes remote areas states no exception",
         L("food.snacks", "坚果礼盒 全国包邮 含偏远地区", "新疆西藏不包邮", ""),
         "consistency.free_shipping"},
        {"a date is no dispatch time, a batch shipped on it no stock",
         L("food.snacks", "坚果礼盒 现货48小时发货", "双12订单12月15日统一发货", ""),
         "consistency.attributes"},
        {"a date is no dispatch time",
         L("food.snacks", "坚果礼盒 48小时发货", "双12订单12月15日发货", ""), ""},
        {"every day of the year is no dispatch time",
         L("food.snacks", "坚果礼盒 48小时发货", "365天发货，全年无休", ""), ""},
        {"the buyer's return is no dispatch",
         L("food.snacks", "坚果礼盒 现货48小时发货", "如需退货，请在签收后7天内寄出", ""), ""},
        {"a shorter time is within the titles'",
         L("food.snacks", "坚果礼盒 72小时内发货", "下午4点前付款当日发货", ""), ""},
        {"sizing advice is no list of sizes",
         L("apparel.women", "纯棉T恤 短袖 S M L XL", "尺码偏小，建议拍大一码，平时穿M的拍L。", ""),
         ""},
        {"21个装 is no one piece",
         L("food.snacks", "手工牛肉丸 21个装 500g", "规格：500g，单个约24g", ""), ""},
        {"a full-width second count", L("food.snacks", "牛肉干 100g×6袋", "规格：100g×3袋＊2", ""),
         ""},
        {"a stock count is no spec", L("home.kitchen", "纯棉四件套", "库存仅此2件，卖完即下架", ""),
         ""},
        {"what a service includes is no set",
         L("home.kitchen", "不锈钢锅具三件套", "服务包含：免费安装、上门测量", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_freight__a_surcharge_some_buyers_pay_against_free_shipping),
        cmocka_unit_test(test_sizes__a_size_the_titles_list_and_the_labels_leave_out),
        cmocka_unit_test(test_packs__an_amount_times_another_count),
        cmocka_unit_test(test_one_piece__the_titles_weight_is_the_pieces),
        cmocka_unit_test(test_dispatch__the_titles_time_against_the_details),
        cmocka_unit_test(test_facts__a_title_shelf_life_after_its_goods_name),
        cmocka_unit_test(test_review__words_that_are_no_surcharge_dispatch_or_list),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
