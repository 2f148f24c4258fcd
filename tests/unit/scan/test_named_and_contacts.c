/* Amounts the detail states of the goods by their name (docs/scan.md, named amounts): an amount
 * right before the goods' name as the title writes it (9色眼影盘 of 大地色眼影盘 12色) is compared
 * as a labelled one; a gift's amount is not. Contacts in a row, each its own finding (微信
 * abc_shop1 QQ 12345678), and a disease whose name starts with 不 (不孕不育) claimed cured. Each
 * listing with the rules it must fire and no other, under the default policy; each positive with a
 * near miss. */
#include "scan_cases.h"

static void test_named_amounts(void **s)
{
    static const struct scase cases[] = {
        {"a palette of nine named in a listing of twelve",
         L("beauty.makeup", "大地色眼影盘 12色 哑光珠光", "🎨 9色眼影盘，新手友好\\n净含量：9×1.2g",
           ""),
         "consistency.spec"},
        {"the same palette named with its own count",
         L("beauty.makeup", "大地色眼影盘 12色 哑光珠光", "🎨 12色眼影盘，新手友好\\n净含量：12×1g",
           ""),
         ""},
        {"another weight of the named rice",
         L("food.snacks", "五常大米 5kg 新米", "规格：真空包装\\n2.5kg五常大米，颗颗饱满", ""),
         "consistency.spec"},
        {"a grade before the material the title names",
         L("home.kitchen", "316不锈钢 保温杯 500ml", "容量：500ml\\n内胆316L不锈钢，外壳304", ""),
         ""},
        {"an amount before a word the title does not hold",
         L("beauty.makeup", "大地色眼影盘 12色 哑光珠光", "净含量：12×1g\\n送2色腮红试用装", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_contacts_in_a_row(void **s)
{
    static const struct scase cases[] = {
        {"a WeChat id and a QQ number side by side",
         L("apparel.women", "雪纺连衣裙", "微信 abc_shop1 QQ 12345678", ""),
         "diversion.qq diversion.wechat"},
        {"a phone and a WeChat id after it",
         L("apparel.women", "雪纺连衣裙", "电话 13800138000 vx abcde99", ""),
         "diversion.phone diversion.wechat"},
        {"a battery's volts after its capacity",
         L("digital.phones", "充电宝 10000mAh", "电芯 3.7V 10000mAh，输出 5V", ""), ""},
        {"infertility said cured by a tea",
         L("food.snacks", "红枣桂圆茶 30包", "长期喝不孕不育都能调好。", ""),
         "efficacy.medical_claims"},
        {"infertility in a caution",
         L("food.snacks", "红枣桂圆茶 30包", "不孕不育人群请遵医嘱。", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_headings_and_counts(void **s)
{
    static const struct scase cases[] = {
        {"a packing list under a heading in brackets",
         L("apparel.women", "针织开衫套装女 3件套 开衫+吊带+半裙", "【包装清单】开衫×1 半裙×1", ""),
         "consistency.gifts"},
        {"the whole packing list under its heading",
         L("apparel.women", "针织开衫套装女 3件套 开衫+吊带+半裙",
           "【包装清单】开衫×1 吊带×1 半裙×1", ""),
         ""},
        {"a packing list on the line after its heading",
         L("home.kitchen", "德式刀具 7件套 含刀座",
           "■ 包装清单\\n切片刀×1 斩骨刀×1 水果刀×1 剪刀×1 刀座×1", ""),
         "consistency.gifts"},
        {"a heading word inside running text",
         L("home.kitchen", "德式刀具 7件套 含刀座", "请核对包装清单\\n切片刀 斩骨刀", ""), ""},
        {"an item's count after a space",
         L("beauty.skincare", "水乳霜三件套 礼盒",
           "【套装内容】冰肌水160ml ×1；乳液120ml ×1；面霜50g ×1", ""),
         ""},
        {"colours to choose against the colours listed",
         L("apparel.women", "基础款圆领T恤 五色可选 纯棉", "【颜色分类】白色 / 黑色 / 灰色", ""),
         "consistency.spec"},
        {"a palette's pans against the palettes to choose",
         L("beauty.makeup", "十二色大地色眼影盘 哑光珠光", "【颜色分类】01 大地暖棕 / 02 玫瑰豆沙",
           ""),
         ""},
        {"a coupon's price said without its 价",
         L("food.snacks", "重庆麻辣小面 6人份 1.2kg", "领券下单，券后39.9元，直接就是6人份",
           ",\"price\":\"49.90\""),
         "consistency.price"},
        {"twelve pieces of fruit counted two ways",
         L("fresh.fruit", "富平柿饼 礼盒 12枚", "规格：礼盒 9个装", ""), "consistency.spec"},
        {"a pack's count outside fresh goods",
         L("home.kitchen", "玻璃保鲜盒 6个装 密封", "规格：4个装（370ml×2 + 640ml×2）", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_stories_told_live(void **s)
{
    static const struct scase cases[] = {
        {"grey hair turned black by a food",
         L("food.snacks", "黑芝麻丸 108g/罐", "粉丝反馈说吃了两罐，鬓角的白发都变黑了", ""),
         "efficacy.food_claims"},
        {"grey hair named in a hair dye's use",
         L("food.snacks", "黑芝麻丸 108g/罐", "配料：黑芝麻、蜂蜜。白发人群也可食用", ""), ""},
        {"better than a digestive tablet",
         L("food.snacks", "老北京山楂条 500g", "饭后给他吃两根，比健胃消食片还灵", ""),
         "efficacy.medical_claims"},
        {"eczema that never came back",
         L("baby.formula", "羊奶粉 2段 400g", "自从换了这个，湿疹也没再起过", ""),
         "efficacy.medical_claims"},
        {"a winter without the hospital",
         L("fresh.fruit", "赣南脐橙 5斤", "每天吃上一两个，一整个冬天都不用往医院跑", ""),
         "efficacy.medical_claims"},
        {"eyesight said to come back to a value",
         L("fresh.fruit", "云南蓝莓 125g×4盒", "连吃一周，视力从4.8回到5.0", ""),
         "efficacy.medical_claims"},
        {"eyesight in a sentence about coming home",
         L("fresh.fruit", "云南蓝莓 125g×4盒", "护眼小贴士：注意视力，回到家少刷手机", ""), ""},
        {"a pound lost in a night",
         L("food.snacks", "西梅果冻 20g*10条", "我自己吃了一礼拜，一晚掉一斤，躺着就瘦", ""),
         "efficacy.food_claims efficacy.weight_loss_claims"},
        {"a jelly that does not lose its colour",
         L("food.snacks", "西梅果冻 3斤装 家庭分享", "不掉色 3斤装家庭分享", ""), ""},
        {"lines that never grow back",
         L("beauty.skincare", "多肽紧致眼霜 20g", "眼角那几道纹，用完一整瓶而且再也不会长回来！",
           ""),
         "efficacy.cosmetic_claims"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_endorsers_and_ordinals(void **s)
{
    static const struct scase cases[] = {
        {"state television's programme named in title marks",
         L("fresh.seafood", "阳澄湖大闸蟹 礼盒 4对8只", "CCTV-7《农广天地》推荐的养殖基地", ""),
         "advertising.absolute_terms"},
        {"a programme named without an endorsement",
         L("fresh.seafood", "阳澄湖大闸蟹 礼盒 4对8只", "我们在《农广天地》里学的养殖方法", ""),
         ""},
        {"the police named as the user",
         L("digital.phones", "防窥膜 适用 iPhone 14 钢化", "公安系统指定用膜，出差再也不怕被偷看",
           ""),
         "advertising.absolute_terms"},
        {"advice to freeze at once",
         L("fresh.seafood", "冷冻扇贝柱 500g", "到货最好立即放冷冻", ""), ""},
        {"a student's first phone",
         L("digital.phones", "酷派思 C9 5G 8+128GB", "学生党第一台手机可以考虑", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_review_near_misses(void **s)
{
    static const struct scase cases[] = {
        {"two bags of the named rice",
         L("food.snacks", "五常大米 5kg 新米", "2.5kg五常大米，两袋装\\n产地：黑龙江\\n净含量：5kg",
           ""),
         ""},
        {"another size in the shop",
         L("home.kitchen", "保温杯 500ml", "容量：500ml\\n店里也有350ml保温杯", ""), ""},
        {"what two kiwis hold",
         L("fresh.fruit", "红心猕猴桃 24个装",
           "2枚猕猴桃的维C就够一天所需\\n产地：陕西\\n规格：24个装", ""),
         ""},
        {"a sample after its gift label",
         L("beauty.skincare", "玻尿酸精华液 30ml", "规格：一瓶装\\n赠品：5ml精华液小样", ""), ""},
        {"a sample a few words after 送",
         L("beauty.skincare", "玻尿酸精华液 30ml", "规格：30ml\\n下单送您一支5ml精华液小样", ""),
         ""},
        {"a box sent straight from the farm",
         L("fresh.fruit", "赣南脐橙 10斤装", "规格：产地直送5斤装", ""), "consistency.spec"},
        {"a furniture's sides with its letters",
         L("home.kitchen", "实木边柜 玄关柜", "尺寸：120 W x 40 D x 80 H cm", ""), ""},
        {"a coupon's price for new buyers",
         L("food.snacks", "重庆麻辣小面 6人份 1.2kg", "新人券后9.9元，老客正常价",
           ",\"price\":\"49.90\""),
         ""},
        {"a carrier's pause after 发货",
         L("food.snacks", "手工牛轧糖 500g", "发货 韵达暂停揽收，统一改发中通",
           ",\"shipping_method\":\"zto_express\""),
         ""},
        {"a weight lost in a night by a snack",
         L("food.snacks", "西梅果冻 20g*10条", "吃了一礼拜，一晚掉2斤", ""),
         "efficacy.food_claims"},
        {"a dye's function", L("beauty.makeup", "植物染发膏 自然黑", "染完白发都变黑了", ""), ""},
        {"a grater's blade", L("home.kitchen", "不锈钢刨丝器", "比普通刨刀片还灵巧", ""), ""},
        {"a police certificate", L("digital.phones", "防窥膜 iPhone 14", "公安部认证 推荐家用", ""),
         ""},
        {"a firemen's endorsement",
         L("home.kitchen", "家用灭火毯 1.2m", "消防员推荐，厨房必备", ""),
         "advertising.absolute_terms"},
        {"the country's first of a kind",
         L("digital.phones", "酷派思 C9 5G 8+128GB", "国内第一台双屏手机", ""),
         "advertising.absolute_terms"},
        {"advice to hurry", L("fresh.seafood", "冷冻扇贝柱 500g", "到货最好赶紧放冷冻", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_named_amounts),          cmocka_unit_test(test_contacts_in_a_row),
        cmocka_unit_test(test_headings_and_counts),    cmocka_unit_test(test_stories_told_live),
        cmocka_unit_test(test_endorsers_and_ordinals), cmocka_unit_test(test_review_near_misses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
