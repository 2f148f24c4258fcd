/* Goods for older buyers, live-stream copy and a random sample (docs/scan.md, holdout87's to
 * holdout89's classes): a short title opening with another name (安贝3段), a price for two joined
 * to its quantity by 一起拍, a count to the jin said with 一斤约, 半斤 as half a jin, the colour a
 * shop says it ships (只发黑色), claims of blood sugar going down, vessels cleared and coughs
 * stopped, spots fading until gone for good, old doctors and state television as endorsers, 最好 as
 * advice. Each listing with the rules it must fire and no other, under the default policy; each
 * positive with a near miss. */
#include "scan_cases.h"

static void test_prices_counts_and_halves(void **s)
{
    static const struct scase cases[] = {
        {"two boxes bought together, their price",
         L("fresh.fruit", "盐源 丑苹果 5斤一箱", "规格：5斤一箱\\n两箱一起拍 ¥55",
           ",\"price\": \"29.90\""),
         ""},
        {"one box at another price",
         L("fresh.fruit", "盐源 丑苹果 5斤一箱", "规格：5斤一箱\\n一箱 ¥55",
           ",\"price\": \"29.90\""),
         "consistency.price"},
        {"oysters to the jin said with 一斤约",
         L("fresh.seafood", "乳山生蚝 鲜活 5斤 约20-30只", "一斤约4-6只\\n规格：5斤装，约20-30只",
           ""),
         ""},
        {"a box's count against the title's",
         L("fresh.seafood", "乳山生蚝 鲜活 5斤 约20-30只", "规格：5斤装，约12-15只", ""),
         "consistency.spec"},
        {"half a jin against 500g",
         L("food.snacks", "宁夏枸杞 半斤装 头茬大果", "净含量：500g\\n产地：宁夏中宁", ""),
         "consistency.spec"},
        {"half a jin is 250g",
         L("food.snacks", "宁夏枸杞 半斤装 头茬大果", "净含量：250g\\n产地：宁夏中宁", ""), ""},
        {"a jin and a half is 750g",
         L("food.snacks", "宁夏枸杞 一斤半 头茬大果", "净含量：750g\\n产地：宁夏中宁", ""), ""},
        {"white sold, black shipped",
         L("apparel.women", "纯棉短袖T恤 女 宽松 白色", "白色现在断货了 只发黑色 介意勿拍", ""),
         "consistency.attributes"},
        {"the colour sold is the one shipped",
         L("apparel.women", "纯棉短袖T恤 女 宽松 白色", "只发白色 其他颜色请看别的链接", ""), ""},
        {"a short title opening with another name before its stage",
         L("baby.formula", "贝宜诺 幼儿配方奶粉 3段 800g", "规格：800g/罐",
           ",\"short_title\": \"安贝3段 800g\", \"brand\": \"贝宜诺\""),
         "consistency.brand"},
        {"a short title opening with the brand before its stage",
         L("baby.formula", "贝宜诺 幼儿配方奶粉 3段 800g", "规格：800g/罐",
           ",\"short_title\": \"贝宜诺3段 800g\", \"brand\": \"贝宜诺\""),
         ""},
        {"a short title opening with the goods before their stage",
         L("baby.formula", "贝宜诺 幼儿配方奶粉 3段 800g", "规格：800g/罐",
           ",\"short_title\": \"配方奶粉3段 800g\", \"brand\": \"贝宜诺\""),
         ""},
        {"a carrier shipped, no colour",
         L("apparel.women", "纯棉短袖T恤 女 宽松 白色", "只发顺丰 偏远地区不发", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_claims_for_older_buyers(void **s)
{
    static const struct scase cases[] = {
        {"blood sugar going down",
         L("fresh.fruit", "新鲜黑桑葚 3斤装",
           "家里有糖尿病老人的放心买，每天一小碗，血糖稳稳地往下走", ""),
         "efficacy.medical_claims"},
        {"blood sugar watched, no claim",
         L("fresh.fruit", "新鲜黑桑葚 3斤装", "血糖高的朋友请遵医嘱适量食用", ""), ""},
        {"blood vessels cleared",
         L("fresh.seafood", "即食海参 500g", "楼下张大爷吃了两个月，复查血管也通了！", ""),
         "efficacy.medical_claims"},
        {"keeping Alzheimer's away",
         L("food.snacks", "中老年高钙营养奶粉 800g", "坚持喝 远离阿尔茨海默，记性不再差", ""),
         "efficacy.medical_claims"},
        {"a cough stopped", L("food.snacks", "土蜂蜜 枇杷蜜 500g", "老人咳嗽 喝两天 就止住了", ""),
         "efficacy.medical_claims"},
        {"a cough seen by a doctor, no claim",
         L("food.snacks", "土蜂蜜 枇杷蜜 500g", "老人咳嗽请及时就医，蜂蜜只是日常饮品", ""), ""},
        {"spots faded until unseen, for good",
         L("beauty.skincare", "烟酰胺精华液 30ml",
           "脸上的斑斑点点 一瓶就能淡到看不见，停用了也不会再长回来", ""),
         "efficacy.cosmetic_claims"},
        {"an old doctor recommending",
         L("food.snacks", "菊花决明子枸杞茶 5g×30包", "北京老中医 亲自推荐给长辈 日常泡水", ""),
         "advertising.absolute_terms"},
        {"state television recommending, a clause apart",
         L("fresh.fruit", "赣南脐橙 10斤", "这片果园 CCTV-7农业节目来拍过 还点名推荐过的橙子", ""),
         "advertising.absolute_terms"},
        {"having been on state television",
         L("home.kitchen", "铸铁珐琅锅 24cm", "上过CCTV的国货 明火电磁炉都能用", ""),
         "advertising.absolute_terms"},
        {"best held 20cm away, advice",
         L("beauty.makeup", "定妆喷雾 100ml", "最好距离脸20cm左右喷 别怼着脸", ""), ""},
        {"the question asked most, no claim",
         L("baby.formula", "幼儿配方羊奶粉 3段 400g",
           "评论区问得最多的：能代替药物吗？不能，奶粉就是日常营养", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_review_mends(void **s)
{
    static const struct scase cases[] = {
        {"two together after a comma and a selling word",
         L("food.snacks", "每日坚果 30包", "两件一起拍更划算，到手价¥36.8",
           ",\"price\": \"19.90\""),
         ""},
        {"a bundle with another product",
         L("digital.phones", "星途 X8 5G手机", "和蓝牙耳机一起拍 ¥2198", ",\"price\": \"1999.00\""),
         ""},
        {"one variant per line, one at the listing's price",
         L("fresh.seafood", "去线虾仁 规格可选 500g/1kg",
           "规格一：虾仁 500g ¥59.9\\n规格二：虾仁 1kg ¥109", ",\"price\": \"59.90\""),
         ""},
        {"one variant per line, the title's among them",
         L("fresh.seafood", "去线虾仁 500g", "规格一：虾仁 500g 59.9元\\n规格二：虾仁 1kg 109元",
           ",\"price\": \"59.90\""),
         ""},
        {"one spec per line, the title's not among them",
         L("fresh.seafood", "去线虾仁 500g", "规格一：虾仁 400g 59.9元\\n规格二：虾仁 1kg 109元",
           ",\"price\": \"59.90\""),
         "consistency.spec"},
        {"one variant per line, none at the listing's price",
         L("fresh.seafood", "去线虾仁 规格可选 500g/1kg",
           "规格一：虾仁 500g ¥69.9\\n规格二：虾仁 1kg ¥109", ",\"price\": \"59.90\""),
         "consistency.price"},
        {"a rate's jin is no weight of the box",
         L("fresh.fruit", "智利车厘子 5斤 J级", "规格：一斤约50-60颗\\n产地：智利", ""), ""},
        {"a rate to the kilo against one to the jin, the same",
         L("fresh.seafood", "鲜活基围虾 10只/斤", "规格：1kg大概20只", ""), ""},
        {"a rate to the kilo against one to the jin, another",
         L("fresh.seafood", "鲜活基围虾 10只/斤", "规格：1kg大概30只", ""), "consistency.spec"},
        {"half fat, half lean after two jin",
         L("fresh.seafood", "广式腊肠 2斤", "规格：2斤半肥瘦", ""), ""},
        {"half a jin a can, two cans",
         L("food.snacks", "明前龙井茶 500g 礼盒", "规格：半斤装×2罐", ""), ""},
        {"a gift's colour is no goods' colour",
         L("digital.phones", "5G手机 冰川白 8+256G", "赠送数据线一根，默认发黑色", ""), ""},
        {"the colour shipped when the other ran out",
         L("apparel.women", "纯棉T恤 女 白色", "白色已售罄，默认发黑色哦", ""),
         "consistency.attributes"},
        {"a short title's colour against the title's",
         L("apparel.women", "羊毛混纺大衣 女 双面呢 黑色", "双面呢 不起球",
           ",\"short_title\": \"双面呢大衣 杏色\""),
         "consistency.attributes"},
        {"a short title's colour that is the title's",
         L("apparel.women", "羊毛混纺大衣 女 双面呢 黑色", "双面呢 不起球",
           ",\"short_title\": \"双面呢大衣 黑色\""),
         ""},
        {"a cough waited out, no claim",
         L("baby.formula", "婴儿配方奶粉 1段 800g", "宝宝腹泻时请遵医嘱，等腹泻止住了再慢慢转奶",
           ""),
         ""},
        {"a cough stopped, never again",
         L("beauty.skincare", "修护霜 40g", "皮炎 红血丝 涂一周就治好了再也不反复", ""),
         "efficacy.medical_claims"},
        {"old doctors advising against, no endorsement",
         L("food.snacks", "红茶 250g", "老中医都不推荐空腹喝浓茶，饭后再喝", ""), ""},
        {"never on state television",
         L("food.snacks", "红糖 500g", "我们没上过央视，也不请名医代言，只靠回头客", ""), ""},
        {"a hailstorm on the news",
         L("fresh.fruit", "洛川苹果 10斤", "今年冰雹灾害登上了新闻联播，我们园子没受影响", ""), ""},
        {"the best for make-up, a superlative",
         L("beauty.makeup", "粉底液 30ml", "这瓶是全网最好上妆的粉底液", ""),
         "advertising.absolute_terms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prices_counts_and_halves),
        cmocka_unit_test(test_claims_for_older_buyers),
        cmocka_unit_test(test_review_mends),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
