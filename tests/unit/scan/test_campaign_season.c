/* Listings edited for a sale (双11, 618, 年货节; docs/scan.md): a total or a unit's price said in
 * the detail is a price of the listing, a sale's name before 到手 is no amount, a discount's
 * ceiling and a bracketed top rating are no absolute terms, a free-shipping claim agrees with
 * the exceptions it states (and not with a region's surcharge said beside it: the shared
 * development set labels that a contradiction), the pieces a set lists count as many as each
 * item says, and a catch or picking date is a production date. Each listing with
 * the rules it must fire and no other, under the default policy; each positive with a near
 * miss. */
#include "scan_cases.h"

static void test_prices__a_total_or_a_units_price_in_the_detail(void **s)
{
    static const struct scase cases[] = {
        {"each pack and the total, against another price",
         L("food.snacks", "辣条 大刀肉 24包 整箱", "每包2.5元，共24包，合计60元",
           ",\"price\": \"72.00\""),
         "consistency.price"},
        {"each pack and the total, of the price",
         L("food.snacks", "辣条 大刀肉 24包 整箱", "每包2.5元，共24包，合计60元",
           ",\"price\": \"60.00\""),
         ""},
        {"one can's price times the cans of a pack said in characters",
         L("baby.formula", "幼儿奶粉3段 两罐装", "单罐238元", ",\"price\": \"594.00\""),
         "consistency.price"},
        {"the same, of the price",
         L("baby.formula", "幼儿奶粉3段 两罐装", "单罐238元", ",\"price\": \"476.00\""), ""},
        {"one can at the price of a listing of one can",
         L("baby.formula", "奶粉 2段 800g×2罐 2罐到手596",
           "单罐318元；拍2罐满600减40，2罐到手596元", ",\"price\": \"318.00\""),
         ""},
        {"pieces in a box (块 counts them), and a total weight",
         L("food.snacks", "桃酥 礼盒 2盒", "每盒12块，一共1.6千克", ",\"price\": \"58.00\""), ""},
        {"a unit's price in brackets works out a price before it",
         L("health.supplements", "鱼油软胶囊 1瓶/3瓶", "3瓶：到手267元（每瓶89元，满减自动扣）",
           ",\"price\": \"99.00\""),
         ""},
        {"a label right after a unit's label: the price of one",
         L("beauty.makeup", "小金管口红 3.5g", "单支售价89元，全店无叠加优惠",
           ",\"price\": \"129.00\""),
         "consistency.price"},
        {"the pieces before a total label count what it costs",
         L("home.kitchen", "电饭煲 4L 箱规24只/箱 工厂批发", "单价 ¥65，整箱24只合计 ¥1560",
           ",\"price\": \"65.00\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_prices__a_sales_name_is_no_amount(void **s)
{
    static const struct scase cases[] = {
        {"618 before 到手",
         L("digital.phones", "星驰X20 5G手机 12GB+256GB 618到手1899", "一年质保",
           ",\"price\": \"1899.00\""),
         ""},
        {"双11 before 到手",
         L("beauty.skincare", "面霜 50g 双11到手199", "规格50g", ",\"price\": \"199.00\""), ""},
        {"an amount before 到手",
         L("beauty.skincare", "面霜 50g 189到手", "规格50g", ",\"price\": \"199.00\""),
         "consistency.price"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_advertising__ceilings_and_bracketed_ratings(void **s)
{
    static const struct scase cases[] = {
        {"the ceiling of a trade-in subsidy",
         L("digital.phones", "5G手机 12GB+256GB", "以旧换新最高补贴50元，最高立减100元", ""), ""},
        {"a rating's top named in brackets after it",
         L("digital.phones", "65W氮化镓快充充电器", "输出功率：65W（最大），输入100-240V", ""), ""},
        {"the lowest price of a market",
         L("digital.phones", "65W氮化镓快充充电器", "全网最低9.9元", ""),
         "advertising.absolute_terms"},
        {"a quality named the best in brackets",
         L("food.snacks", "手工红薯粉条 5kg", "品质(最好)", ""), "advertising.absolute_terms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_shipping__exceptions_said_in_the_claim(void **s)
{
    static const struct scase cases[] = {
        {"free shipping with its regions' exception",
         L("fresh.fruit", "赣南脐橙 5斤 包邮（新疆、西藏除外）", "新疆、西藏等偏远地区需补运费15元",
           ",\"freight\": \"0.00\""),
         ""},
        {"a region's surcharge beside a claim that states none",
         L("fresh.fruit", "赣南脐橙 5斤 包邮", "全国包邮，新疆、西藏、青海不包邮，下单后客服联系",
           ",\"freight\": \"0.00\""),
         "consistency.free_shipping"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_sets__items_with_their_counts_after_them(void **s)
{
    static const struct scase cases[] = {
        {"four kinds of four",
         L("home.kitchen", "釉下彩陶瓷餐具 16件套",
           "套装含：饭碗4只、汤碗4只、平盘4只、汤勺4只，共16件", ""),
         ""},
        {"four kinds of three against 16 (the spec check counts them first)",
         L("home.kitchen", "釉下彩陶瓷餐具 16件套", "套装含：饭碗3只、汤碗3只、平盘3只、汤勺3只",
           ""),
         "consistency.spec"},
        {"a total after the last item is no count of it",
         L("home.kitchen", "食品级硅胶铲 5件套", "【套装】锅铲、漏铲、汤勺、漏勺、夹子 共5件", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_facts__a_catch_date_is_a_production_date(void **s)
{
    static const struct scase cases[] = {
        {"a catch date against the field",
         L("fresh.seafood", "东海梭子蟹 2.5斤 速冻锁鲜", "捕捞日期：2024年10月8日，船上速冻锁鲜",
           ",\"production_date\": \"2024-05-20\",\"quality_cert\":\"q\",\"manufacturer\":\"m\""),
         "consistency.facts"},
        {"the same date",
         L("fresh.seafood", "东海梭子蟹 2.5斤 速冻锁鲜", "捕捞日期：2024年10月8日，船上速冻锁鲜",
           ",\"production_date\": \"2024-10-08\",\"quality_cert\":\"q\",\"manufacturer\":\"m\""),
         ""},
    };
    run_as(cases, sizeof cases / sizeof cases[0], true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prices__a_total_or_a_units_price_in_the_detail),
        cmocka_unit_test(test_prices__a_sales_name_is_no_amount),
        cmocka_unit_test(test_advertising__ceilings_and_bracketed_ratings),
        cmocka_unit_test(test_shipping__exceptions_said_in_the_claim),
        cmocka_unit_test(test_sets__items_with_their_counts_after_them),
        cmocka_unit_test(test_facts__a_catch_date_is_a_production_date),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
