/* The thirty-sixth session's classes (docs/scan.md): a manufacturer's label as a table's cell
 * (生产商 X有限公司｜产地 Y), a country's goods imported in their own can (新西兰原罐进口), prices
 * said after a comma, and the first round of unseen sets' classes.
 * Each listing with the rules it must fire and no other, under the default policy; each positive
 * with a near miss. */
#include "scan_cases.h"

static void test_cells_and_imports(void **s)
{
    static const struct scase cases[] = {
        {"goods imported in their own can against a home origin",
         L("baby.formula", "羊羊乐 新西兰原罐进口 婴儿羊奶粉 1段 800g",
           "参数：段位 1段｜净含量 800g｜产地 黑龙江", ""),
         "consistency.attributes"},
        {"a milk source imported, made at home",
         L("baby.formula", "羊羊乐 新西兰进口奶源 婴儿羊奶粉 1段 800g",
           "参数：段位 1段｜净含量 800g｜产地 黑龙江", ""),
         ""},
        {"a price said after its label and a comma",
         L("fresh.seafood", "渔鲜生 冷冻黑虎虾 1kg", "直播间福利价，一百九十八！",
           ",\"price\":\"168.00\""),
         "consistency.price"},
        {"the listing's price said so",
         L("fresh.seafood", "渔鲜生 冷冻黑虎虾 1kg", "直播间福利价，一百六十八！",
           ",\"price\":\"168.00\""),
         ""},
        {"a price label, a comma and a pack",
         L("fresh.seafood", "渔鲜生 冷冻黑虎虾 1kg", "福利价，2斤装更划算",
           ",\"price\":\"168.00\""),
         ""},
        {"a price label, a comma and a price from",
         L("fresh.seafood", "渔鲜生 冷冻黑虎虾 1kg", "福利价，99元起", ",\"price\":\"168.00\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_maker_cells(void **s)
{
    static const struct scase cases[] = {
        {"a manufacturer in a row of cells",
         L("food.snacks", "味享 牛肉干 200g", "净含量 200g｜生产商 杭州味享食品有限公司｜产地 浙江",
           ",\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\",\"manufacturer\":"
           "\"绍兴味享食品有限公司\""),
         "consistency.facts"},
        {"the listing's manufacturer in such a row",
         L("food.snacks", "味享 牛肉干 200g", "净含量 200g｜生产商 绍兴味享食品有限公司｜产地 浙江",
           ",\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\",\"manufacturer\":"
           "\"绍兴味享食品有限公司\""),
         ""},
        {"a manufacturer's word in running text, no row",
         L("food.snacks", "味享 牛肉干 200g", "生产商 杭州味享食品有限公司供货多年",
           ",\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\",\"manufacturer\":"
           "\"绍兴味享食品有限公司\""),
         ""},
    };
    run_as(cases, sizeof cases / sizeof cases[0], true);
}

static void test_second_round(void **s)
{
    static const struct scase cases[] = {
        {"a ram in a bracketed cell against the title's",
         L("digital.phones", "星澜 S15 5G 12GB+256GB", "【运行内存】8GB\\n【机身存储】256GB", ""),
         "consistency.spec"},
        {"the title's ram in such a cell",
         L("digital.phones", "星澜 S15 5G 12GB+256GB", "【运行内存】12GB\\n【机身存储】256GB", ""),
         ""},
        {"a price the title says it went down to",
         L("digital.phones", "悦米 Y18 8GB+256GB 直降到手1999", "型号 Y18",
           ",\"price\":\"2199.00\""),
         "consistency.price"},
        {"an amount off before the price",
         L("digital.phones", "悦米 Y18 8GB+256GB 直降200到手1999", "型号 Y18",
           ",\"price\":\"2199.00\""),
         ""},
        {"skin said to turn white",
         L("beauty.makeup", "奶油肌素颜霜 50g", "长期使用皮肤真的会变白，黑黄肌也能白回来", ""),
         "efficacy.cosmetic_claims"},
        {"a tone-up said as makeup",
         L("beauty.makeup", "奶油肌素颜霜 50g", "一抹提亮，轻薄不假白", ""), ""},
        {"pounds flung off", L("food.snacks", "代餐奶昔 12袋", "一个月狂甩15斤", ""),
         "efficacy.food_claims"},
        {"obesity to be done with", L("food.snacks", "代餐奶昔 12袋", "一餐一袋，告别肥胖", ""),
         "efficacy.medical_claims"},
        {"free shipping in English against a freight",
         L("digital.phones", "磁吸充电宝 10000mAh free shipping", "容量：10000mAh",
           ",\"freight\":\"6.00\""),
         "consistency.free_shipping"},
        {"the best taste as a boast",
         L("food.snacks", "手剥山核桃 300g", "当季新货，口感最佳的山核桃", ""),
         "advertising.absolute_terms"},
        {"the best taste as advice",
         L("food.snacks", "蛋黄酥 6枚", "建议收到后一周内食用口感最佳", ""), ""},
        {"parts a comma joins, their total the title's",
         L("fresh.seafood", "阳澄湖大闸蟹 公4.0两 母3.0两 8只",
           "规格：公蟹4.0两×4只，母蟹3.0两×4只，共8只", ""),
         ""},
        {"parts a comma joins, their total another",
         L("fresh.seafood", "阳澄湖大闸蟹 公4.0两 母3.0两 8只",
           "规格：公蟹4.0两×4只，母蟹3.0两×3只，共7只", ""),
         "consistency.spec"},
        {"a gift box's weights that add up to the title's",
         L("food.snacks", "坚果礼盒 1.5kg",
           "礼盒内含：夏威夷果250g、碧根果250g、巴旦木200g、开心果200g、腰果150g、核桃仁150g、"
           "蔓越莓干150g、黄桃干150g",
           ""),
         ""},
        {"a gift box's weights that do not",
         L("food.snacks", "坚果礼盒 1.5kg",
           "礼盒内含：夏威夷果250g、碧根果250g、巴旦木200g、开心果200g、腰果150g、核桃仁150g、"
           "蔓越莓干150g、黄桃干200g",
           ""),
         "consistency.spec"},
        {"an ingredient's content in the title",
         L("health.supplements", "鱼油软胶囊 100粒 每粒含EPA+DHA 600mg", "规格：1000mg×100粒", ""),
         ""},
        {"a weight in the title",
         L("health.supplements", "鱼油软胶囊 100粒 600mg", "规格：1000mg×100粒", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_third_round(void **s)
{
    static const struct scase cases[] = {
        {"a down's kind against its label",
         L("apparel.women", "白鸭绒羽绒服女 中长款", "充绒类型：白鹅绒\\n含绒量：90%", ""),
         "consistency.attributes"},
        {"the same down", L("apparel.women", "白鸭绒羽绒服女 中长款", "充绒类型：白鸭绒", ""), ""},
        {"a goose compared with, no label",
         L("apparel.women", "白鸭绒羽绒服女 中长款", "保暖不输鹅绒", ""), ""},
        {"a knife's steel against its row",
         L("home.kitchen", "304不锈钢菜刀 家用", "材质 3Cr13不锈钢 ｜ 刃长 18cm", ""),
         "consistency.attributes"},
        {"a count in characters against the title's",
         L("food.snacks", "高邮咸鸭蛋 20枚", "规格：十二枚/盒", ""), "consistency.spec"},
        {"the title's count in characters",
         L("food.snacks", "高邮咸鸭蛋 20枚", "规格：二十枚/盒", ""), ""},
        {"cans in characters after a weight",
         L("baby.formula", "儿童奶粉4段 6罐整箱装 800g/罐", "规格：800g×四罐", ""),
         "consistency.spec"},
        {"one bag a day under a label",
         L("health.supplements", "益生菌粉 30袋", "规格：2g×30袋\\n用法：每天一袋", ""), ""},
        {"free shipping over an amount is no count of packs",
         L("food.snacks", "牛肉干 满99包邮 500g", "规格：500g\\n每天一包", ""), ""},
        {"cans a buyer may want",
         L("baby.formula", "幼儿配方奶粉 3段 800g*2罐", "本链接为单罐装，需要两罐请拍两件。", ""),
         "consistency.spec"},
        {"a loss of weight with a typo",
         L("health.supplements", "果蔬酵素粉 一周廋8斤 30袋", "规格：3g×30袋", ""),
         "efficacy.food_claims"},
        {"a blood sugar said to come down",
         L("food.snacks", "黑苦荞茶 罐装500g", "本品不具有治疗功效，但糖友坚持喝三个月 血糖稳稳降",
           ""),
         "efficacy.medical_claims"},
        {"a low glycaemic index said plainly",
         L("food.snacks", "黑苦荞茶 罐装500g", "低GI，适合控糖人群日常饮用", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_fourth_round(void **s)
{
    static const struct scase cases[] = {
        {"a water line's largest mark",
         L("home.kitchen", "电热水壶 1.5L", "水位：不要超过最大水位线", ""), ""},
        {"a platform's name disguised",
         L("baby.formula", "幼儿配方奶粉3段 800g", "想更便宜的，去T猫 贝初母婴店 下单", ""),
         "diversion.other_platforms"},
        {"a cashew's grade against its label",
         L("food.snacks", "越南腰果 W240 大颗粒 500g", "等级：W320\\n净含量：500g", ""),
         "consistency.attributes"},
        {"the same grade", L("food.snacks", "越南腰果 W240 大颗粒 500g", "等级：W240", ""), ""},
        {"a title's tag of two names against the brand",
         L("beauty.makeup", "【蔻拉 KOLA】丝绒口红 #520", "色号：#520 正红",
           ",\"brand\":\"色研社\""),
         "consistency.brand"},
        {"a title's tag of the brand's two names",
         L("beauty.makeup", "【蔻拉 KOLA】丝绒口红 #520", "色号：#520 正红", ",\"brand\":\"蔻拉\""),
         ""},
        {"a ministry said to have chosen the goods",
         L("food.snacks", "稻香斋 京式糕点礼盒 1kg", "外交部指定接待用礼品", ""),
         "advertising.absolute_terms"},
        {"a camera's sensor in inches",
         L("digital.phones", "拍照手机 1英寸主摄 16GB+512GB", "屏幕：6.73英寸", ""), ""},
        {"a screen in inches against the detail's",
         L("digital.phones", "拍照手机 6.1英寸 16GB+512GB", "屏幕：6.73英寸", ""),
         "consistency.spec"},
        {"a dose by weight under a label",
         L("health.supplements", "蛋白质粉 400g", "食用量：每日1次，每次10g\\n规格：400g/罐", ""),
         ""},
        {"a brush's animal hair against synthetic",
         L("beauty.makeup", "纯羊毛化妆刷套装 12支", "刷毛材质：优质人造纤维毛（不含动物毛）", ""),
         "consistency.attributes"},
        {"cocoa butter against its substitute",
         L("food.snacks", "纯可可脂黑巧克力 100g", "配料：白砂糖、代可可脂、可可粉", ""),
         "consistency.attributes"},
        {"cocoa butter in the list",
         L("food.snacks", "纯可可脂黑巧克力 100g", "配料：可可液块、白砂糖、可可脂", ""), ""},
        {"a silk mask of non-woven cloth",
         L("beauty.skincare", "蚕丝面膜 补水 25ml×7片", "膜布材质：无纺布\\n规格：25ml×7片/盒", ""),
         "consistency.attributes"},
        {"a plant capsule of gelatin",
         L("health.supplements", "植物胶囊 叶黄素酯 0.3g×60粒",
           "囊材：明胶（牛源）\\n规格：0.3g/粒×60粒", ""),
         "consistency.attributes"},
        {"health food said ordinary",
         L("health.supplements", "蓝帽子认证 胶原蛋白肽片 60片",
           "产品类别：压片糖果（普通食品，非保健食品）", ""),
         "consistency.attributes"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_fifth_round(void **s)
{
    static const struct scase cases[] = {
        {"a dress's length against its size table",
         L("apparel.women", "法式长款吊带裙 裙长120cm 过膝",
           "S：胸围82 裙长98\\nM：胸围86 裙长98\\nL：胸围90 裙长99", ""),
         "consistency.spec"},
        {"a dress's length within its size table",
         L("apparel.women", "法式长款吊带裙 裙长98cm 过膝",
           "S：胸围82 裙长97\\nM：胸围86 裙长98\\nL：胸围90 裙长99", ""),
         ""},
        {"a brand's characters in another order",
         L("health.supplements", "康维力 氨糖软骨素钙片 120片", "规格：1.0g×120片",
           ",\"brand\":\"维康力\""),
         "consistency.brand"},
        {"a title opening with a name and its spelling",
         L("beauty.makeup", "绮妆QIZHUANG 持妆粉底液 30ml", "容量：30ml", ",\"brand\":\"柒蔻\""),
         "consistency.brand"},
        {"a nutrient's letters after the goods",
         L("health.supplements", "藻油DHA软胶囊 60粒", "规格：60粒", ",\"brand\":\"纽曼思\""), ""},
        {"a grade's letters after the goods",
         L("fresh.fruit", "车厘子JJJ 2斤 礼盒", "规格：2斤", ",\"brand\":\"智利优选\""), ""},
        {"a set's list numbered in circles",
         L("home.kitchen", "不粘锅三件套 炒锅+汤锅+煎锅",
           "套装清单：\\n① 32cm炒锅\\n② 20cm汤锅\\n③ 16cm奶锅\\n④ 26cm煎锅", ""),
         "consistency.gifts"},
        {"a set's total in the last item's bracket",
         L("home.kitchen", "五件套刀具 德式 带刀座",
           "套装内容：切片刀、斩骨刀、水果刀、剪刀、磨刀棒（共5件）+ 刀座", ""),
         ""},
        {"a ram and its kind of memory",
         L("digital.phones", "星阅 Note 14 12GB+256GB", "运行内存：8GB DDR5", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_sixth_round(void **s)
{
    static const struct scase cases[] = {
        {"a hundred per cent waterproof",
         L("beauty.makeup", "防晒喷雾 SPF50", "100%防水防汗，户外不怕", ""),
         "advertising.absolute_terms"},
        {"best kept chilled, said last", L("fresh.fruit", "蓝莓 1斤", "收到后冷藏保存最好", ""),
         ""},
        {"a shade the link is said to be",
         L("beauty.makeup", "粉底液 #01 亮白色 30ml", "本链接为 #03 小麦色", ""),
         "consistency.facts"},
        {"scars said to be gone", L("beauty.skincare", "修护精华 30ml", "痘坑平复、痘疤一扫光", ""),
         "efficacy.cosmetic_claims"},
        {"a ceramic non-stick coating on aluminium",
         L("home.kitchen", "陶瓷不粘汤锅 22cm", "材质：铝合金+陶瓷涂层", ""), ""},
        {"another brand said to authorise the goods",
         L("beauty.makeup", "绯朵 哑光唇釉 2.5g", "品牌：绯朵\\n柒叶官方授权，正品保证",
           ",\"brand\":\"绯朵\""),
         "consistency.brand"},
        {"the brand said to authorise the goods",
         L("beauty.makeup", "绯朵 哑光唇釉 2.5g", "绯朵官方授权，正品保证", ",\"brand\":\"绯朵\""),
         ""},
        {"a brand in letters said to authorise the goods",
         L("digital.phones", "ZENO 无线蓝牙耳机", "本店所售为Kelo官方授权正品",
           ",\"brand\":\"ZENO\""),
         "consistency.brand"},
        {"one can's price of a one-can listing",
         L("baby.formula", "恩宝 婴儿配方奶粉1段 800g 单罐", "净含量：800g\\n单罐价格：238元",
           ",\"price\":\"268.00\""),
         "consistency.price"},
        {"one bag's price of a two-bag listing",
         L("food.snacks", "手撕牛肉干 2包装", "单包价格19.90元，本链接为2包装",
           ",\"price\":\"39.80\""),
         ""},
        {"the shop said to be authorised",
         L("digital.phones", "ZENO 无线蓝牙耳机", "本店官方授权，假一赔十", ",\"brand\":\"ZENO\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_seventh_round(void **s)
{
    static const struct scase cases[] = {
        {"a lake's crabs against another county of the province",
         L("fresh.seafood", "阳澄湖大闸蟹 公4两 母3两 5对",
           "产地：江苏泰州兴化\\n规格：公4两 母3两", ""),
         "consistency.attributes"},
        {"a lake's crabs from its city",
         L("fresh.seafood", "阳澄湖大闸蟹 公4两 母3两 5对", "产地：江苏苏州\\n规格：公4两 母3两",
           ""),
         ""},
        {"a lake's crabs from its province",
         L("fresh.seafood", "阳澄湖大闸蟹 公4两 母3两 5对", "产地：江苏\\n规格：公4两 母3两", ""),
         ""},
        {"a soft capsule said to be a tablet",
         L("health.supplements", "鱼油软胶囊 100粒", "剂型：片剂\\n规格：100片", ""),
         "consistency.attributes"},
        {"a title's name the detail heads in brackets",
         L("home.kitchen", "炊大师 陶瓷砂锅 2.5L", "【炊大师】正品\\n容量：2.5L",
           ",\"brand\":\"厨匠\",\"manufacturer\":\"潮州厨匠陶瓷有限公司\""),
         "consistency.brand"},
        {"an account's name in brackets",
         L("fresh.fruit", "果农老陈 赣南脐橙 10斤",
           "产地：江西赣州\\n关注我们的橙园故事【果农老陈】", ",\"brand\":\"橙心农场\""),
         ""},
        {"a dose after a time",
         L("health.supplements", "褪黑素维生素B6片 60片", "规格：0.3g/片×60片\\n睡前半小时1片", ""),
         ""},
        {"a title's tag against the detail's brand label, no brand field",
         L("beauty.makeup", "【柔雾】轻透防晒隔离乳 SPF50+ 40ml", "品牌：绯境\\n净含量：40ml", ""),
         "consistency.brand"},
        {"a title's tag the detail's brand label agrees with, no brand field",
         L("beauty.makeup", "【柔雾】轻透防晒隔离乳 SPF50+ 40ml", "品牌：柔雾\\n净含量：40ml", ""),
         ""},
        {"a refund in seconds before shipping",
         L("food.snacks", "红豆糯米糍 500g", "下单须知：未发货可申请秒退款", ",\"after_sales\":[]"),
         "consistency.after_sales"},
        {"a steel's grade after a pot's capacity",
         L("home.kitchen", "不锈钢内胆电饭煲 3L", "容量：3L\\n内胆：316L不锈钢，无涂层", ""), ""},
        {"a cable for Apple and Android",
         L("digital.phones", "三合一数据线 1.2m 快充 苹果安卓通用", "长度：1.2m",
           ",\"brand\":\"闪充侠\""),
         ""},
        {"sucralose in a sugar-free snack",
         L("food.snacks", "0蔗糖 魔芋爽 20包", "配料：魔芋精粉、植物油、甜味剂（三氯蔗糖）", ""),
         ""},
        {"sugar in a sugar-free snack",
         L("food.snacks", "0蔗糖 魔芋爽 20包", "配料：魔芋精粉、植物油、白砂糖", ""),
         "consistency.attributes"},
        {"a set's count said alone first",
         L("home.kitchen", "玻璃密封保鲜盒 5件套", "套装：5个，容量370ml-1.1L", ""), ""},
        {"one fruit's weight after its word",
         L("fresh.fruit", "凯特芒果 5斤装 大果", "规格：净重2500g\\n单果约1斤以上", ""), ""},
        {"wrinkles said to be nowhere",
         L("beauty.skincare", "保湿眼霜 20g", "眼周细纹、鱼尾纹都找不到了", ""),
         "efficacy.cosmetic_claims"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_and_imports), cmocka_unit_test(test_maker_cells),
        cmocka_unit_test(test_second_round),      cmocka_unit_test(test_third_round),
        cmocka_unit_test(test_fourth_round),      cmocka_unit_test(test_fifth_round),
        cmocka_unit_test(test_sixth_round),       cmocka_unit_test(test_seventh_round),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
