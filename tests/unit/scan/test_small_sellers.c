/* Listings of small sellers (orchards, group-buy leaders, second-hand phones, home-made food:
 * docs/scan.md): a contact after a remark in brackets, freight for some regions or larger
 * orders only, a regional free-shipping claim, damage a warranty excludes, a brand named with
 * its romanisation, storage and lining attributes, claims in quoted reviews, endorsements by
 * the state banquet. Each listing with the rules it must fire and no other, under the default
 * policy; each positive with a near miss. */
#include "scan_cases.h"

static void test_contacts__a_remark_in_brackets_before_the_number(void **s)
{
    static const struct scase cases[] = {
        {"a QQ number after a remark",
         L("fresh.seafood", "鲜活花甲 5斤", "想看打捞视频的，扣扣（防屏蔽）：88600321", ""),
         "diversion.qq"},
        {"a phone number in financial numerals after a remark",
         L("beauty.skincare", "芦荟胶 300g", "团长电话（大写防屏蔽）：壹叁捌 伍陆柒 捌玖零壹", ""),
         "diversion.phone"},
        {"a remark and no number",
         L("beauty.skincare", "芦荟胶 300g", "客服电话（周一至周五）：请在平台内联系在线客服。",
           ""),
         ""},
        {"QQ said as 叩叩",
         L("fresh.seafood", "鲜活花甲 5斤", "想看实时视频的，叩叩 八八六 零零 三二一 发你", ""),
         "diversion.qq"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_freight__some_regions_or_larger_orders_only(void **s)
{
    static const struct scase cases[] = {
        {"remote regions named earlier in the sentence pay",
         L("beauty.skincare", "玫瑰纯露300ml 包邮（新疆西藏青海除外）",
           "新疆/西藏/青海的亲：快递进不去包邮范围，需要补运费12元，拍下后改价。",
           ",\"freight\": \"0.00\""),
         ""},
        {"every region but the remote ones pays",
         L("food.snacks", "米粉 225g 包邮", "运费：偏远地区除外，其余地区运费5元。", ""),
         "consistency.free_shipping"},
        {"no freight for two or more",
         L("beauty.makeup", "满2件包邮 极细眉笔", "单拍1件运费5元，拍2件及以上运费0元",
           ",\"freight\": \"5.00\""),
         ""},
        {"no freight at all against a freight of 5",
         L("beauty.makeup", "极细眉笔 自然棕", "运费0元，放心拍", ",\"freight\": \"5.00\""),
         "consistency.free_shipping"},
        {"a claim for some regions, the others pay",
         L("food.snacks", "江浙沪包邮 冷冻鱿鱼须 2斤", "运费：江浙沪包邮，其他地区+10元", ""), ""},
        {"a claim without regions, the others pay",
         L("food.snacks", "包邮 冷冻鱿鱼须 2斤", "运费：江浙沪包邮，其他地区+10元", ""),
         "consistency.free_shipping"},
        {"freight collect after a colon",
         L("beauty.makeup", "遮瑕盘三色 包邮", "运费：到付（收件时支付快递费）", ""),
         "consistency.free_shipping"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_after_sales__exclusions_and_denials(void **s)
{
    static const struct scase cases[] = {
        {"damage a warranty excludes",
         L("digital.phones", "小米13 二手 保修1年", "店铺质保：12个月。人为进水摔坏不在保修范围",
           ",\"after_sales\": [\"warranty\"]"),
         ""},
        {"no warranty of any kind",
         L("digital.phones", "备用机 5G手机 128G", "本店商品为二手库存机，不提供任何保修。",
           ",\"after_sales\": [\"warranty\"]"),
         "consistency.after_sales"},
        {"dead crabs not compensated",
         L("fresh.seafood", "梭子蟹 鲜活 3斤", "路上死了不赔，介意勿拍",
           ",\"after_sales\": [\"bad_item_compensation\"]"),
         "consistency.after_sales"},
        {"dead crabs compensated",
         L("fresh.seafood", "梭子蟹 鲜活 3斤", "路上死了包赔，拍照联系客服",
           ",\"after_sales\": [\"bad_item_compensation\"]"),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_names__a_brand_with_its_romanisation(void **s)
{
    static const struct scase cases[] = {
        {"the brand field is the romanisation the detail pairs with the name",
         L("baby.formula", "君乐宝 至臻 3段 800g", "品牌：君乐宝（JUNLEBAO）\\n12-36月龄",
           ",\"brand\": \"JUNLEBAO\""),
         ""},
        {"another brand",
         L("baby.formula", "君乐宝 至臻 3段 800g", "品牌：君乐宝（JUNLEBAO）\\n12-36月龄",
           ",\"brand\": \"飞鹤\""),
         "consistency.brand"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_attributes__storage_lining_and_flesh(void **s)
{
    static const struct scase cases[] = {
        {"kept at room temperature against frozen",
         L("food.snacks", "手打牛肉丸 500g 常温保存", "【储存条件】需冷冻保存（-18℃以下）", ""),
         "consistency.attributes"},
        {"room temperature, chilled once opened",
         L("food.snacks", "手打牛肉丸 500g 常温保存", "储存条件：常温保存，开封后冷藏", ""), ""},
        {"fleece-lined against thin",
         L("apparel.women", "加绒加厚 打底裤 冬季", "款式：薄款，不加绒，适合春秋", ""),
         "consistency.attributes"},
        {"fleece-lined both ways",
         L("apparel.women", "加绒加厚 打底裤 冬季", "款式：内里加绒，适合冬季", ""), ""},
        {"a variety's flesh",
         L("fresh.fruit", "越南红心火龙果 5斤", "品种：白心火龙果\\n一箱约5-6个", ""),
         "consistency.attributes"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_claims__quoted_reviews_and_the_state_banquet(void **s)
{
    static const struct scase cases[] = {
        {"spots gone in a quoted review",
         L("beauty.skincare", "精华水 150ml 买家秀", "“用了两瓶脸上的斑都跑光了”", ""),
         "efficacy.cosmetic_claims"},
        {"ten years younger",
         L("beauty.skincare", "精华水 150ml 买家秀", "“我老公说我年轻了十岁”", ""),
         "efficacy.cosmetic_claims"},
        {"a zebra print is no spot",
         L("apparel.women", "斑马纹 衬衫", "斑马纹印花，洗后不掉色", ""), ""},
        {"fruit of the state banquet", L("fresh.fruit", "国宴用果 赣南脐橙 10斤", "果园直发", ""),
         "advertising.absolute_terms"},
        {"fruit of a family dinner", L("fresh.fruit", "家宴用果 赣南脐橙 10斤", "果园直发", ""),
         ""},
        {"a daily dose is no pack size",
         L("food.snacks", "叶黄素酯软糖 两瓶装 60粒×2", "拍1件=2瓶，共120粒。蓝莓味，一天2粒。",
           ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contacts__a_remark_in_brackets_before_the_number),
        cmocka_unit_test(test_freight__some_regions_or_larger_orders_only),
        cmocka_unit_test(test_after_sales__exclusions_and_denials),
        cmocka_unit_test(test_names__a_brand_with_its_romanisation),
        cmocka_unit_test(test_attributes__storage_lining_and_flesh),
        cmocka_unit_test(test_claims__quoted_reviews_and_the_state_banquet),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
