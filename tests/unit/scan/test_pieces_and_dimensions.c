/* Small sellers, health-adjacent goods and a random sample (docs/scan.md, holdout94's to
 * holdout96's classes): one piece's weight said after 公 or before /只, the sides of a box said
 * with one unit, amounts of another quantity or of a shop off the platform, an anti-fraud
 * notice, a shade's 色号 after a colour's word; effects said to outlast the goods, medicines cut
 * or stopped, a winter without a hospital, rates of a hundred per cent, endorsements by a
 * department head or a state banquet, a body shrinking in a stated time, 最好用 as advice. Each
 * listing with the rules it must fire and no other, under the default policy; each positive
 * with a near miss. */
#include "scan_cases.h"

static void test_pieces_and_boxes(void **s)
{
    static const struct scase cases[] = {
        {"one crab's weight against another crab's",
         L("fresh.seafood", "盘锦河蟹 公蟹 3两/只 10只装", "规格：公蟹 单只约2两 ×10只", ""),
         "consistency.spec"},
        {"one crab's weight said both ways",
         L("fresh.seafood", "盘锦河蟹 公蟹 3两/只 10只装", "规格：公蟹 单只约3两 ×10只", ""), ""},
        {"a crab's weight and the box's, each its own",
         L("fresh.seafood", "舟山梭子蟹 冷冻 4-6两/只 5斤装", "【规格】单只4-6两，5斤装", ""), ""},
        {"a male crab's weight after 公",
         L("fresh.seafood", "大闸蟹 公4两 礼盒装", "规格：公蟹150g/只", ""), "consistency.spec"},
        {"one piece's weight after 一个",
         L("food.snacks", "手工绿豆糕 12个装 一个约25g", "规格：一打（12个） 一盒约300g", ""), ""},
        {"a weight after 母乳 is the tin's",
         L("baby.formula", "婴儿配方奶粉 1段 800g",
           "母乳 800g 以外的喂养请咨询医生\\n规格：900g/罐", ""),
         "consistency.spec"},
        {"the sides of a pillow said with one unit",
         L("home.kitchen", "天然乳胶枕 60×40cm 波浪枕", "尺寸：60×40×10/8cm", ""), ""},
        {"another pillow's sides",
         L("home.kitchen", "天然乳胶枕 60×40cm 波浪枕", "尺寸：50×40×10cm", ""),
         "consistency.spec"},
        {"a weight of two pieces at their price",
         L("fresh.fruit", "海南 金钻凤梨 5斤 2-3个",
           "规格：5斤（2.5kg） 约2-3个\\n拍2件 ¥55（共10斤）", ""),
         ""},
        {"a weight of the listing's own",
         L("fresh.fruit", "海南 金钻凤梨 5斤 2-3个", "规格：10斤 约4-6个", ""), "consistency.spec"},
        {"a weight sold by a shop elsewhere",
         L("food.snacks", "手工阿胶糕 500g 盒装",
           "规格：500g/盒\\n某宝搜「老胡家」 那边有1000g大盒装", ""),
         "diversion.other_platforms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_notices_and_shades(void **s)
{
    static const struct scase cases[] = {
        {"an anti-fraud notice",
         L("health.supplements", "维生素D3软胶囊 60粒", "我们不加私人微信 也不会让你私下转账", ""),
         ""},
        {"a transfer off the platform asked for",
         L("health.supplements", "维生素D3软胶囊 60粒", "私下转账更便宜", ""),
         "diversion.other_platforms"},
        {"a shade that makes one look fair",
         L("beauty.makeup", "丝绒唇釉 显白色号 不沾杯", "色号：#108 砖红 / #202 奶茶", ""), ""},
        {"a colour named in the title", L("apparel.women", "纯棉短袖T恤 女 白色", "颜色：砖红", ""),
         "consistency.attributes"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_claims_in_stories(void **s)
{
    static const struct scase cases[] = {
        {"whitening that outlasts the cream",
         L("beauty.makeup", "懒人素颜霜 50ml", "天天涂着，就算以后停了也不会再反黑", ""),
         "efficacy.cosmetic_claims"},
        {"advice after stopping", L("beauty.makeup", "懒人素颜霜 50ml", "停用后请及时清洁皮肤", ""),
         ""},
        {"insulin stopped",
         L("home.kitchen", "米汤分离电饭煲 4L", "老客户说用了半年胰岛素都停了", ""),
         "efficacy.medical_claims"},
        {"a caution not to stop a medicine",
         L("health.supplements", "辅酶Q10软胶囊 60粒",
           "本品不能代替药物。请遵医嘱，请勿擅自把药都停了", ""),
         ""},
        {"a chemist's shut",
         L("home.kitchen", "米汤分离电饭煲 4L", "疫情那年附近药店都停了营业", ""), ""},
        {"a winter without a hospital",
         L("baby.formula", "婴儿配方奶粉 1段 900g", "宝宝一整个冬天都没跑过医院", ""),
         "efficacy.medical_claims"},
        {"eczema told to go away",
         L("baby.formula", "婴儿配方奶粉 1段 900g", "感冒发烧、湿疹统统绕道走", ""),
         "efficacy.medical_claims"},
        {"a rate of a hundred per cent",
         L("baby.formula", "有机高铁米粉 250g", "营养吸收率100% 每一口都不浪费", ""),
         "advertising.absolute_terms"},
        {"a review rate", L("baby.formula", "有机高铁米粉 250g", "好评率100% 回购率高", ""), ""},
        {"a department head eating it",
         L("health.supplements", "益生菌冻干粉 30条", "三甲医院消化科的主任自己都在吃这款", ""),
         "advertising.absolute_terms"},
        {"a state banquet's crabs",
         L("fresh.seafood", "阳澄湖大闸蟹 8只", "国宴上端出来的就是我们湖里这批蟹", ""),
         "advertising.absolute_terms"},
        {"a cut that looks slimmer",
         L("apparel.women", "高腰阔腿裤 M-XXL", "高腰设计 视觉显瘦一圈", ""), ""},
        {"best used with warm water, advice",
         L("food.snacks", "洋槐蜂蜜 500g", "最好用40℃以下温水冲调", ""), ""},
        {"the best to use, a superlative",
         L("home.kitchen", "不粘平底锅 26cm", "这是我们家最好用的锅", ""),
         "advertising.absolute_terms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_numbers_denials_and_fabrics(void **s)
{
    static const struct scase cases[] = {
        {"twenty-four in one character",
         L("health.supplements", "维生素C咀嚼片 廿四粒", "规格：20粒/瓶", ""), "consistency.spec"},
        {"twenty in one character",
         L("health.supplements", "维生素C咀嚼片 廿粒", "规格：20粒/瓶", ""), ""},
        {"a shade's number before its name",
         L("beauty.makeup", "口红 01号 正红色 丝绒哑光", "色号：03 豆沙色\\n规格：3.5g", ""),
         "consistency.attributes consistency.facts"}, /* 豆沙色 is a pink, 正红色 a red */
        {"the same shade's number",
         L("beauty.makeup", "口红 01号 正红色 丝绒哑光", "色号：01 正红色\\n规格：3.5g", ""), ""},
        {"no return even unopened",
         L("baby.formula", "国产 婴儿奶粉 1段 900g", "奶粉属于食品 没开封也不退\\n规格：900g",
           ",\"after_sales\": [\"seven_day_return\"]"),
         "consistency.after_sales"},
        {"no return once opened, unopened returns promised",
         L("food.snacks", "芒果干100g*5袋 拆封不退 未拆封七天可退", "食品类商品拆封后不支持退货",
           ",\"after_sales\": [\"seven_day_return\"]"),
         ""},
        {"silk in the title, ice silk of polyester in the detail",
         L("apparel.women", "19姆米重磅真丝睡衣套装 女",
           "面料：冰丝（聚酯纤维）\\n尺码：M / L / XL", ""),
         "consistency.spec"},
        {"silk in the title and the detail",
         L("apparel.women", "19姆米重磅真丝睡衣套装 女", "面料：桑蚕丝（真丝）\\n尺码：M / L / XL",
           ""),
         ""},
        {"a drop already in the price, and a lower price",
         L("digital.phones", "朗界 N3 5G 12+512G", "官方指导价2999，直降300，到手 2399",
           ",\"price\": \"2699.00\""),
         "consistency.price"},
        {"a drop that makes the lower price",
         L("digital.phones", "朗界 N3 5G 12+512G", "直降300，到手2399", ",\"price\": \"2699.00\""),
         ""},
        {"the price of two boxes bought together",
         L("fresh.fruit", "砂糖橘 5斤装", "规格：净重5斤。买2箱共10斤到手55元。",
           ",\"price\": \"29.90\""),
         ""},
        {"the price of one box, another",
         L("fresh.fruit", "砂糖橘 5斤装", "规格：净重5斤。到手价25元。", ",\"price\": \"29.90\""),
         "consistency.price"},
        {"a coupon on top of a reference price",
         L("food.snacks", "香草味威化饼干 1kg",
           "【划线价】¥49.90 【售价】¥39.90，领10元店铺券后¥29.90", ",\"price\": \"39.90\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_courses_and_palettes(void **s)
{
    static const struct scase cases[] = {
        {"a course of the goods and a result",
         L("fresh.seafood", "乳山生蚝 鲜活 10斤装",
           "腰酸、肾虚、总是没劲的 连着吃上一个星期 身体就调过来了", ""),
         "efficacy.medical_claims"},
        {"a course of the goods and its taste",
         L("fresh.fruit", "潮汕油柑 3斤", "一箱吃了两天就吃完了 全家都说好吃", ""), ""},
        {"better than throat lozenges",
         L("fresh.fruit", "潮汕油柑 3斤", "含上两颗 比润喉片还管用", ""),
         "efficacy.medical_claims"},
        {"a palette's parts against its colours",
         L("beauty.makeup", "12色 腮红高光修容盘", "本盘共：腮红4色 + 高光3色 + 修容2色", ""),
         "consistency.spec"},
        {"inner sides of a box",
         L("home.kitchen", "收纳箱 60×40×35cm 带盖", "外尺寸：60×40×35cm，内尺寸：56×36×33cm", ""),
         ""},
        {"a box's sides in millimetres",
         L("home.kitchen", "厨房置物架 60×40cm 双层", "尺寸：600×400mm，层高25cm", ""), ""},
        {"a course of a cleaner",
         L("home.kitchen", "厨房清洁膏 500g", "用了这个清洁膏，锅底的黑垢都下来了", ""), ""},
        {"a return asked about",
         L("baby.formula", "国产 婴儿奶粉 1段 900g", "没开封也不退吗？\\n规格：900g",
           ",\"after_sales\": [\"seven_day_return\"]"),
         ""},
        {"a palette's parts adding up",
         L("beauty.makeup", "9色 腮红高光修容盘", "本盘共：腮红4色 + 高光3色 + 修容2色", ""), ""},
        {"a case that fits every iPhone",
         L("digital.phones", "手机壳定制 iPhone全系列 磨砂", "材质：TPU", ",\"brand\": \"印象壳\""),
         ""},
        {"a hundred per cent beef",
         L("food.snacks", "风干牛肉干 100%纯牛肉 500g", "规格：500g", ""),
         "advertising.absolute_terms"},
        {"a hospital's head giving it to patients",
         L("health.supplements", "乳清蛋白粉 2磅", "三甲医院营养科主任 都在让住院病人喝的", ""),
         "advertising.absolute_terms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pieces_and_boxes),
        cmocka_unit_test(test_notices_and_shades),
        cmocka_unit_test(test_claims_in_stories),
        cmocka_unit_test(test_numbers_denials_and_fabrics),
        cmocka_unit_test(test_courses_and_palettes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
