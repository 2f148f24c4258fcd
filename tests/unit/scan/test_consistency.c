/* Key-info consistency and the classes issue 16's held-out corpora found missing, one case per
 * rule as docs/scan.md states it (default policy): each listing with the rules it must fire
 * (in any order, each at least once) and no other rule. */
#include "scan_cases.h"

static void test_consistency__a_price_per_unit_is_the_price_of_what_the_titles_state(void **s)
{
    static const struct scase cases[] = {
        {"one can by default",
         L("baby.formula", "米粉 225g", "价格：88元/罐", ",\"price_fen\":9800"),
         "consistency.price"},
        {"one can, the price",
         L("baby.formula", "米粉 225g", "价格：88元/罐", ",\"price_fen\":8800"), ""},
        {"six cans the titles state",
         L("baby.formula", "奶粉 6罐装", "售价 49元/罐", ",\"price_fen\":29400"), ""},
        {"six cans, priced as one",
         L("baby.formula", "奶粉 6罐装", "售价 49元/罐", ",\"price_fen\":4900"),
         "consistency.price"},
        {"per jin, three jin", L("fresh.fruit", "脐橙 3斤", "特价 9.9元/斤", ",\"price_fen\":2970"),
         ""},
        {"per jin, weight unknown",
         L("fresh.fruit", "脐橙 大果", "特价 9.9元/斤", ",\"price_fen\":2970"), ""},
        {"for two items", L("food.snacks", "薯片", "特价 59元/2件", ",\"price_fen\":3500"), ""},
        {"full-width digits",
         L("health.supplements", "维生素片", "现价 ￥１９９，两瓶更划算", ",\"price\":\"299.00\""),
         "consistency.price"},
        {"full-width digits, the price",
         L("health.supplements", "维生素片", "现价 ￥１９９", ",\"price\":\"199.00\""), ""},
        {"a fixed price label",
         L("home.kitchen", "一口价 69元 沥水篮", "厨房好帮手", ",\"price_fen\":8900"),
         "consistency.price"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

/* Prices written in characters (RULES.md §3: a price the text states against the price field,
 * however it is written), and what stands next to a price label. */
static void test_consistency__prices_in_characters_and_next_to_labels(void **s)
{
    static const struct scase cases[] = {
        {"in characters",
         L("food.snacks", "蛋黄酥 12枚", "活动期间 到手价 五十九元", ",\"price_fen\":6900"),
         "consistency.price"},
        {"in characters, the price",
         L("food.snacks", "蛋黄酥 12枚", "到手价 五十九元", ",\"price_fen\":5900"), ""},
        {"financial numerals",
         L("digital.phones", "蓝牙音箱", "年货节仅需叁佰捌拾元", ",\"price_fen\":42000"),
         "consistency.price"},
        {"thousands and hundreds",
         L("digital.phones", "平板", "售价一千九百九十九元", ",\"price_fen\":199900"), ""},
        {"tenths after 块, one box",
         L("food.snacks", "鸡蛋卷 400g", "一盒只要二十九块九", ",\"price\":\"39.90\""),
         "consistency.price"},
        {"one box of three the titles state",
         L("food.snacks", "鸡蛋卷 3盒", "一盒只要二十九块九", ",\"price\":\"89.70\""), ""},
        {"two digits with no place: not a number",
         L("food.snacks", "坚果", "价格三五十元都有", ",\"price_fen\":9900"), ""},
        {"a per-unit price in characters is not the listing's",
         L("food.snacks", "坚果", "售价五十元/斤", ",\"price_fen\":9900"), ""},
        {"the currency sign of a freight",
         L("fresh.seafood", "扇贝肉 1kg", "运费 ¥12 需另付",
           ",\"price\":\"89.00\",\"freight\":\"12.00\""),
         ""},
        {"the currency sign of a freight, another amount",
         L("fresh.seafood", "扇贝肉 1kg", "运费 ¥15 需另付",
           ",\"price\":\"89.00\",\"freight\":\"12.00\""),
         "consistency.free_shipping"},
        {"an amount of one container times the count",
         L("health.supplements", "维生素片 60片", "规格：30片/盒×2盒", ",\"price_fen\":5900"), ""},
        {"an amount of one container times the count, another total",
         L("health.supplements", "维生素片 90片", "规格：30片/盒×2盒", ",\"price_fen\":5900"),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__counts_sizes_and_pack_sizes_are_specs(void **s)
{
    static const struct scase cases[] = {
        {"cans", L("baby.formula", "奶粉 6罐装", "规格：800g×3罐", ""), "consistency.spec"},
        {"cans agree", L("baby.formula", "奶粉 3罐装", "规格：800g×3罐", ""), ""},
        {"pack size", L("fresh.fruit", "5斤装 冰糖橙", "本链接为3斤装", ""), "consistency.spec"},
        {"pack size agrees", L("fresh.fruit", "5斤装 冰糖橙", "本链接为5斤装", ""), ""},
        {"an unlabelled amount", L("fresh.fruit", "5斤装 冰糖橙", "单果约200g", ""), ""},
        {"diameter", L("home.kitchen", "炒锅 32cm", "口径：30cm 深度：9cm", ""),
         "consistency.spec"},
        {"diameter agrees", L("home.kitchen", "炒锅 32cm", "直径32cm，深9cm", ""), ""},
        {"a total", L("food.snacks", "蛋黄酥 24枚 礼盒", "规格：每枚55g，共20枚", ""),
         "consistency.spec"},
        {"screen", L("digital.phones", "6.7英寸 大屏手机", "屏幕尺寸：6.1英寸", ""),
         "consistency.spec"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__amounts_in_characters_before_weights_volumes_and_sets(void **s)
{
    static const struct scase cases[] = {
        {"a total in characters", L("fresh.fruit", "沙田柚 2kg 2个装", "两个柚子一共三斤", ""),
         "consistency.spec"},
        {"the same weight in characters", L("fresh.fruit", "沙田柚 2kg", "规格：四斤", ""), ""},
        {"a pack size in characters", L("fresh.fruit", "冰糖橙 三斤装", "净重：2kg", ""),
         "consistency.spec"},
        {"no one number", L("fresh.fruit", "冰糖橙 2kg", "净重：三四斤", ""), ""},
        {"sets in characters", L("beauty.skincare", "保湿水乳霜 三件套", "规格：两件套", ""),
         "consistency.spec"},
        {"items in characters", L("food.snacks", "桃酥 三件装", "规格：两件", ""),
         "consistency.spec"},
        {"a count in a condition is no spec",
         L("food.snacks", "桃酥 1件", "两件包邮，规格：1件", ""), ""},
        {"a pack of one", L("baby.formula", "奶粉 800g*2罐", "本链接为单罐装", ""),
         "consistency.spec"},
        {"no count in characters outside the units kept for numerals",
         L("beauty.makeup", "眉笔 1支", "规格：两支", ""), ""},
        {"bags in characters, kept for numerals", L("food.snacks", "桃酥 1袋", "规格：两袋", ""),
         "consistency.spec"},
        {"a formula's stage",
         L("baby.formula", "婴儿配方奶粉 1段 0-6月", "适用年龄：12-36个月（3段）", ""),
         "consistency.attributes consistency.spec"}, /* the months differ too */
        {"the same stage", L("baby.formula", "婴儿配方奶粉 3段", "适用年龄：12-36个月（3段）", ""),
         ""},
        {"a stage is the formula's only", L("food.snacks", "1段 零食", "适用年龄：3段", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__a_letter_o_in_a_number_and_ascii_words_ended_by_a_space(void **s)
{
    static const struct scase cases[] = {
        {"O for zero", L("digital.phones", "手机壳", "联系电话 15O 1234 5678（工作时间）", ""),
         "diversion.phone"},
        {"an o that ends a number", L("home.kitchen", "保温杯 500ml", "型号 2025o 款", ""), ""},
        {"a word ended by a space",
         L("fresh.seafood", "三文鱼 500g", "For bulk orders pls WhatsApp me", ""),
         "diversion.other_platforms"},
        {"a word inside a word", L("fresh.seafood", "三文鱼 500g", "see whatsappening.example", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__a_cure_said_in_the_clause_after_its_diseases(void **s)
{
    static const struct scase cases[] = {
        {"one comma",
         L("beauty.skincare", "艾草膏 30g", "湿疹、皮炎、脚气，抹上两三天就好利索了", ""),
         "efficacy.medical_claims"},
        {"two commas",
         L("food.snacks", "山楂条 500g", "小孩积食、厌食的，每天吃两条，几天就好了", ""),
         "efficacy.medical_claims"},
        {"a full stop ends it",
         L("food.snacks", "山楂条 500g", "积食的孩子。放学后吃两条就好了", ""), ""},
        {"negated in the cure's clause",
         L("health.supplements", "维生素C 泡腾片", "感冒发烧期间请遵医嘱用药，本品不能预防感冒",
           ""),
         ""},
        {"a disease prevented", L("fresh.seafood", "海带干 500g", "经常吃能预防甲状腺肿大", ""),
         "efficacy.medical_claims"},
        {"scars said to go", L("beauty.skincare", "疤痕膏 15g", "老疤新疤都能修复", ""),
         "efficacy.cosmetic_claims"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__memory_pairs_warnings_and_conditions(void **s)
{
    static const struct scase cases[] = {
        {"ram differs, no units",
         L("digital.phones", "游戏手机 12+256 骁龙8", "性能强",
           ",\"short_title\":\"游戏手机 8+256\""),
         "consistency.spec"},
        {"ram and storage alike", L("digital.phones", "手机 8+256G", "配置：8GB+256GB", ""), ""},
        {"storage differs, no units", L("digital.phones", "手机 12+512", "存储：12GB+256GB", ""),
         "consistency.spec"},
        {"a pair outside phones", L("food.snacks", "坚果 3+2", "规格：3+2袋", ""), ""},
        {"a labelled spec against running text",
         L("home.kitchen", "电饭煲 3L 智能", "3L电饭煲。参数：容量 4L，功率 700W", ""),
         "consistency.spec"},
        {"variants labelled", L("home.kitchen", "电饭煲 3L", "规格：3L/4L可选", ""), ""},
        {"an invitation in a warning",
         L("beauty.makeup", "眉笔 0.2g", "任何要求你添加私人微信的都不是我们，请勿相信。", ""), ""},
        {"an invitation asked about",
         L("beauty.makeup", "眉笔 0.2g", "Q：能加微信吗？A：请在平台内咨询。", ""), ""},
        {"an invitation", L("beauty.makeup", "眉笔 0.2g", "买前先加微信领券", ""),
         "diversion.wechat"},
        {"free shipping on two",
         L("beauty.makeup", "美妆蛋 4个装", "单件运费6元，两件包邮，满件包邮活动",
           ",\"freight\":\"6.00\""),
         ""},
        {"free shipping on one",
         L("beauty.makeup", "美妆蛋 4个装", "一件包邮", ",\"freight\":\"6.00\""),
         "consistency.free_shipping"},
        {"a dot in brackets",
         L("beauty.makeup", "化妆刷 14支", "教程请访问 guilimakeup [.] com/brush", ""),
         "diversion.url"},
        {"a qq number in a batch code",
         L("fresh.fruit", "果冻橙 5斤装", "批次号：QQ-2861937745-AY38", ""), "diversion.qq"},
        {"a platform named with a search",
         L("fresh.fruit", "阳光玫瑰 3斤", "另一个直营店在快手，搜芒乡果业", ""),
         "diversion.other_platforms"},
        {"quick hands is a dish",
         L("food.snacks", "快手早餐 饼 10个", "快手早餐，微波炉加热即可", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__counts_lengths_milligrams_and_extra_freight(void **s)
{
    static const struct scase cases[] = {
        {"small packs", L("food.snacks", "威化饼干 24包", "一箱共20小包，口味随机。", ""),
         "consistency.spec"},
        {"fruits counted", L("fresh.fruit", "软籽石榴 12个装", "单果约250g，共8个。", ""),
         "consistency.spec"},
        {"months are no count", L("baby.formula", "奶粉 6个月以上 800g", "规格：800g，共1罐", ""),
         ""},
        {"a garment's length",
         L("apparel.women", "长款风衣 衣长105cm", "尺码表（M码）：衣长 98cm", ""),
         "consistency.spec"},
        {"milligrams a pill",
         L("health.supplements", "钙片 1000mg/粒 60粒", "产品规格：500mg/粒，每瓶60粒", ""),
         "consistency.spec"},
        {"freight charged on top",
         L("fresh.seafood", "北极甜虾 1.5kg", "冷链运费另计 ￥25 / 单", ",\"freight_fen\":0"),
         "consistency.free_shipping"},
        {"a QR code, then a comma",
         L("fresh.seafood", "大黄鱼 2条装", "二维码长按识别，添加渔场客服领菜谱", ""),
         "diversion.qr_code"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__brand_stated_by_a_label_when_the_field_is_absent(void **s)
{
    static const struct scase cases[] = {
        {"label against title", L("digital.phones", "正品 华为 手机", "品牌：荣耀，型号 X50", ""),
         "consistency.brand"},
        {"label agrees", L("digital.phones", "正品 荣耀 手机", "品牌：荣耀", ""), ""},
        {"no label, no field", L("digital.phones", "华为 手机壳", "适配多种机型", ""), ""},
        {"an unknown label value", L("digital.phones", "华为 手机", "品牌：自营", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__warranty_and_return_freight_are_services(void **s)
{
    static const struct scase cases[] = {
        {"warranty, none given",
         L("digital.phones", "蓝牙键盘", "一年质保，全国联保", ",\"after_sales\":[]"),
         "consistency.after_sales"},
        {"warranty given",
         L("digital.phones", "蓝牙键盘", "一年质保", ",\"after_sales\":[\"warranty\"]"), ""},
        {"after_sales unknown", L("digital.phones", "蓝牙键盘", "一年质保", ""), ""},
        {"quality and quantity",
         L("food.snacks", "坚果", "保质保量，放心购买", ",\"after_sales\":[]"), ""},
        {"return freight",
         L("home.kitchen", "落地扇", "退货包运费", ",\"after_sales\":[\"seven_day_return\"]"),
         "consistency.after_sales"},
        {"carrier after a label",
         L("beauty.skincare", "防晒乳", "发货：圆通快递", ",\"shipping_method\":\"顺丰\""),
         "consistency.carrier"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__disguised_addresses_and_words_inside_words(void **s)
{
    static const struct scase cases[] = {
        {"(at) and (dot)", L("home.kitchen", "铲勺", "Email kitchen.sale(at)gmail(dot)com", ""),
         "diversion.url"},
        {"at and dot between spaces",
         L("apparel.women", "阔腿裤", "发邮件 yigu at 126 dot com", ""), "diversion.url"},
        {"dot inside a word", L("apparel.women", "波点裙", "polka dot dress, shopdotcom", ""), ""},
        {"an item number", L("apparel.women", "半身裙", "货号：No.1128", ""), ""},
        {"a rank", L("food.snacks", "薯片 NO.1 好物", "咔嚓脆", ""), "advertising.absolute_terms"},
        {"over a whole market", L("fresh.fruit", "全国最甜的西瓜", "沙地种植", ""),
         "advertising.absolute_terms"},
        {"another platform", L("apparel.women", "马面裙", "某红书搜 织云阁", ""),
         "diversion.other_platforms"},
        {"an anti-fraud notice",
         L("beauty.makeup", "口红", "本店不会以任何理由要求您添加微信或QQ", ""), ""},
        {"an invitation", L("beauty.makeup", "口红", "有问题请添加微信咨询", ""),
         "diversion.wechat"},
        {"QQ's penguin", L("beauty.makeup", "眼影盘", "教程在🐧：1043556278", ""), "diversion.qq"},
        /* four groups of four digits are an order or card number, not a landline cut from it */
        {"an order number in groups",
         L("food.snacks", "坚果", "订单号 4921 0836 5517 2234 之后发新批次", ""), ""},
        {"a mobile in groups", L("food.snacks", "坚果", "售后电话 139 1234 5678", ""),
         "diversion.phone"},
        {"a landline in groups", L("food.snacks", "坚果", "座机 0797 8632 1577", ""),
         "diversion.phone"},
        {"闲鱼 with a fish", L("digital.phones", "耳机", "闲🐟上搜 数码阿杰", ""),
         "diversion.other_platforms"},
        {"a disclaimer's frame",
         L("health.supplements", "铁元素片", "本品不具有补铁或治疗贫血的作用", ""), ""},
        {"a claim with no frame", L("health.supplements", "铁元素片", "补铁快，治疗贫血", ""),
         "efficacy.medical_claims"},
        {"an accessory for a device",
         L("digital.phones", "iPhone 15 钢化膜 高清", "9H硬度", ",\"brand\":\"绿联\""), ""},
        {"the brand's own accessory",
         L("digital.phones", "华为原装 66W 充电器", "快充", ",\"brand\":\"小米\""),
         "consistency.brand"},
        {"freight the buyer pays", L("fresh.seafood", "【包邮】青蟹 2只", "运费：买家承担", ""),
         "consistency.free_shipping"},
        /* a name before 家的 is the brand the goods are said to be (docs/scan.md) */
        {"the goods another name's",
         L("beauty.skincare", "精华水150ml", "这就是澜渟家卖爆的那瓶水", ",\"brand\":\"禾语\""),
         "consistency.brand"},
        {"the goods the brand's own",
         L("beauty.skincare", "精华水150ml", "禾语家的明星精华水", ",\"brand\":\"禾语\""), ""},
        {"our house is no brand",
         L("fresh.fruit", "西瓜 1个", "今年我们家的瓜很甜", ",\"brand\":\"椰乡\""), ""},
        {"the brand named elsewhere",
         L("food.snacks", "麦田香 牛肉粒", "三只熊家的配方", ",\"brand\":\"麦田香\""), ""},
        /* a title's fibre content against the detail's composition */
        {"another wool content",
         L("apparel.women", "毛衣 羊毛50% V领", "成分：羊毛30% 腈纶70%", ""), "consistency.spec"},
        {"the same wool content",
         L("apparel.women", "毛衣 羊毛50% V领", "成分：羊毛50% 腈纶50%", ""), ""},
        /* a piece's weight against the titles' range of it */
        {"a piece within the range",
         L("fresh.fruit", "苹果 单果200-250g 10斤", "单果重：220g，净重：10斤", ""), ""},
        {"a piece after a colon, out of the range",
         L("fresh.fruit", "苹果 单果200-250g 10斤", "净重：10斤 单果：约300g", ""),
         "consistency.spec"},
        {"volts are no WeChat", L("home.kitchen", "按摩仪", "参数：3.7V：600mAh", ""), ""},
        {"a sentence's middle is no name",
         L("food.snacks", "牛肉粒", "办公室同事都夸这家的好吃", ",\"brand\":\"麦田香\""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

/* The consistency.brand findings of a listing, "field|excerpt|evidence" joined by newlines. */
static void brand_findings(const char *listing, char *out, size_t cap)
{
    json_t *f = findings_of_as(listing, false);
    out[0] = '\0';
    size_t i;
    json_t *x;
    json_array_foreach(f, i, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "rule")), "consistency.brand") != 0)
            continue;
        snprintf(out + strlen(out), cap - strlen(out), "%s|%s|%s\n",
                 json_string_value(json_object_get(x, "field")),
                 json_string_value(json_object_get(x, "excerpt")),
                 json_string_value(json_object_get(x, "evidence")));
    }
    json_decref(f);
}

/* 品牌：兰蔻 is a brand label stating 兰蔻 and the known brand 兰蔻: one finding (they overlap),
 * whose evidence says the brand once, not once per way it was found. */
static void test_consistency__a_labelled_brand_is_said_once_in_the_evidence(void **s)
{
    char got[2048];
    brand_findings(L("beauty.skincare", "面霜", "品牌：兰蔻 正品", ",\"brand\":\"某牌\""), got,
                   sizeof got);
    assert_string_equal(got, "detail|品牌：兰蔻|states the brand as 兰蔻; the listing's brand is "
                             "某牌\n");
    /* the findings are those made before: the title's brand and each place in the detail */
    brand_findings(L("beauty.skincare", "兰蔻同款面霜", "品牌:兰蔻；兰蔻官方 品牌：雅诗兰黛",
                     ",\"brand\":\"某牌\""),
                   got, sizeof got);
    assert_string_equal(got,
                        "title|兰蔻|names the brand 兰蔻; the listing's brand is 某牌\n"
                        "detail|品牌:兰蔻|states the brand as 兰蔻; the listing's brand is 某牌\n"
                        "detail|兰蔻|names the brand 兰蔻; the listing's brand is 某牌\n"
                        "detail|品牌：雅诗兰黛|states the brand as 雅诗兰黛; the listing's brand "
                        "is 某牌\n");
}

static void test_consistency__other_units_messaging_apps_and_international_numbers(void **s)
{
    static const struct scase cases[] = {
        {"a QQ number after a Q alone",
         L("beauty.makeup", "眼影盘", "注:批发Q 2836615907 备注来意", ""), "diversion.qq"},
        {"a Q inside a word", L("beauty.makeup", "眼影盘", "型号 IQ 2836615907", ""), ""},
        {"a Hong Kong number", L("beauty.makeup", "眼影盘", "门店 (852) 2788 3456", ""),
         "diversion.phone"},
        {"ounces against grams that differ",
         L("food.snacks", "美国坚果 12 oz 罐装", "净含量：200g", ""), "consistency.spec"},
        {"ounces and their grams", L("food.snacks", "美国坚果 12 oz 罐装", "净含量：340g", ""), ""},
        {"pounds and kilograms", L("fresh.seafood", "帝王蟹 4 lb", "净重：1.8kg", ""), ""},
        {"pounds against kilograms that differ",
         L("fresh.seafood", "帝王蟹 4 lb", "净重：1.2kg", ""), "consistency.spec"},
        {"fluid ounces", L("beauty.skincare", "爽肤水 200ml", "Volume: 3.4 fl oz", ""),
         "consistency.spec"},
        {"inches in English", L("digital.phones", "手机 6.5英寸", "Screen: 6.9-inch", ""),
         "consistency.spec"},
        {"capsules are pills", L("health.supplements", "鱼油 120粒", "Contents: 100 softgels", ""),
         "consistency.spec"},
        {"thousands with commas", L("home.kitchen", "收纳盒 2,000ml", "容量：2L", ""), ""},
        {"an app id after a marker",
         L("beauty.makeup", "口红 3.5g", "新色先看 Telegram：@lipbar_hk 频道", ""),
         "diversion.messaging"},
        {"an app id a few words on",
         L("beauty.makeup", "口红 3.5g", "详情请LINE加我 @mk_tokyo01", ""), "diversion.messaging"},
        {"an app's name as a word", L("apparel.women", "A-Line 半身裙 M码", "line设计，显瘦", ""),
         ""},
        {"a name then a comma", L("digital.phones", "手机壳", "new line, premium quality", ""), ""},
        {"an international number",
         L("food.snacks", "曲奇 500g", "Order by phone: +60 12-345 6789", ""), "diversion.phone"},
        {"a temperature after an at sign", L("fresh.seafood", "扇贝 500g", "Keep @ 2-6°C", ""), ""},
        {"a sentence after an ideographic full stop",
         L("baby.formula", "奶粉 800g", "含DHA。Net 800g", ""), ""},
        {"a country domain", L("beauty.skincare", "面霜 50g", "官网 hanbit 点 kr 查真伪", ""),
         "diversion.url"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__wholesale_tiers_and_conditions_one_order_meets(void **s)
{
    static const struct scase cases[] = {
        {"tiers after the price of one",
         L("food.snacks", "软糖 整箱", "阶梯价：1箱 ¥36｜5箱起 ¥33/箱｜100箱以上 ¥29/箱",
           ",\"price_fen\":3600"),
         ""},
        {"the price of one differs",
         L("food.snacks", "软糖 整箱", "阶梯价：1箱 ¥38｜5箱起 ¥33/箱", ",\"price_fen\":3600"),
         "consistency.price"},
        {"a case price in the detail",
         L("fresh.seafood", "白虾 2kg", "1盒 ¥119，6盒整箱 ¥680", ",\"price_fen\":11900"), ""},
        {"a case price in the title",
         L("baby.formula", "奶粉 6罐整箱 ¥1188", "整箱6罐", ",\"price_fen\":128800"),
         "consistency.price"},
        {"a quantity after a price label",
         L("fresh.seafood", "白虾 2kg", "链接价格为1盒", ",\"price_fen\":11900"), ""},
        {"free shipping on two cases",
         L("food.snacks", "辣条 整箱", "满2箱包邮，单箱运费12元", ",\"freight_fen\":1200"), ""},
        {"free shipping one order meets",
         L("baby.formula", "奶粉 3罐装", "满3罐包邮", ",\"freight_fen\":1500"),
         "consistency.free_shipping"},
        {"free shipping above an amount the price reaches",
         L("food.snacks", "坚果 满99包邮", "碧根果 500g",
           ",\"price_fen\":12900,\"freight_fen\":1000"),
         "consistency.free_shipping"},
        {"free shipping above an amount the price does not reach",
         L("food.snacks", "坚果 满99包邮", "碧根果 250g",
           ",\"price_fen\":5900,\"freight_fen\":1000"),
         ""},
        {"a carrier between the condition and the claim",
         L("fresh.seafood", "扇贝 5斤 满2件顺丰包邮", "单拍1件运费12元", ",\"freight_fen\":1200"),
         ""},
        {"a condition in the title is no count",
         L("home.kitchen", "炒锅 满2件包邮", "单件运费10元，满2件包邮", ",\"freight_fen\":1000"),
         ""},
        {"metres", L("home.kitchen", "晾衣杆 2米", "长度：1.5米", ""), "consistency.spec"},
        {"a refresh rate",
         L("digital.phones", "P9 游戏手机 144Hz高刷", "屏幕参数：刷新率最高120Hz，触控采样率240Hz",
           ""),
         "consistency.spec"},
        {"refresh rates a screen switches between",
         L("digital.phones", "P9 游戏手机 120Hz高刷", "刷新率：支持60Hz/90Hz/120Hz自适应", ""), ""},
        {"a net weight the detail gives only as the gross one",
         L("fresh.seafood", "红虾 净重2kg", "重量：毛重2kg，净重约1.5kg（含冰衣）", ""),
         "consistency.spec"},
        {"a net weight said after its amount",
         L("fresh.fruit", "脐橙 10斤 净重 当季", "规格：带箱10斤（净重约8.5斤）", ""),
         "consistency.spec"},
        {"a weight with its box and the fruit's without",
         L("fresh.fruit", "脐橙 带箱5斤", "规格：净果4.5斤，箱重0.5斤", ""), ""},
        {"a weight unsaid and the gross and net next to each other",
         L("fresh.fruit", "脐橙 5斤", "规格：毛重5斤 净重4.3斤", ""), ""},
        {"freight under an amount the listing passes",
         L("home.kitchen", "破壁机 官方翻新", "满99包邮，不满99收运费8元",
           ",\"price_fen\":12900,\"freight_fen\":0"),
         ""},
        {"freight under an amount the listing does not pass",
         L("home.kitchen", "量杯 500ml", "满99包邮，不满99收运费8元",
           ",\"price_fen\":4900,\"freight_fen\":0"),
         "consistency.free_shipping"},
        {"a percentage labelled otherwise",
         L("digital.phones", "二手手机 电池健康95%", "电池：最大容量 85%", ""), "consistency.spec"},
        {"the same percentage", L("digital.phones", "二手手机 电池95%", "电池：最大容量 95%", ""),
         ""},
        {"parts in a list", L("fresh.seafood", "大闸蟹 8只", "礼盒内含：公蟹 4只、母蟹 4只", ""),
         ""},
        {"a member's price",
         L("food.snacks", "坚果礼盒 1.5kg",
           "会员价 ¥119（需开通店铺会员），非会员按页面价格 ¥129 购买", ",\"price_fen\":12900"),
         ""},
        {"no returns once opened, returns while unopened",
         L("baby.formula", "婴儿配方奶粉3段 800g 未拆封7天可退",
           "奶粉属于特殊商品，拆封后不支持退换；未拆封7天内可无理由退货。",
           ",\"after_sales\":[\"seven_day_return\"]"),
         ""},
        {"no returns once opened, against the service alone",
         L("health.supplements", "益生菌胶囊 30粒", "本品拆封后不支持七天无理由退货。",
           ",\"after_sales\":[\"seven_day_return\"]"),
         "consistency.after_sales"},
        {"amounts too large to multiply (the fuzzer's: 12 digits x 807)",
         L("food.snacks", "饼干 1kg", "规格：510191259405g×807，约999999999999TB", ""),
         "consistency.spec"},
        {"the freight of a return",
         L("apparel.women", "包邮 直筒牛仔裤", "退换货运费由买家承担",
           ",\"price_fen\":12900,\"freight_fen\":0"),
         ""},
        {"the freight of the delivery",
         L("apparel.women", "包邮 直筒牛仔裤", "运费由买家承担",
           ",\"price_fen\":12900,\"freight_fen\":0"),
         "consistency.free_shipping"},
        {"parts past the label's reach, then their total",
         L("fresh.seafood", "阳澄湖大闸蟹 4对8只",
           "规格：公蟹4.0两 × 4只 + 母蟹3.0两 × 4只，合计8只", ""),
         ""},
        {"parts that add up to another total",
         L("fresh.seafood", "大闸蟹 12只", "规格：公蟹4.0两 × 4只 + 母蟹3.0两 × 4只，合计8只", ""),
         "consistency.spec"},
        {"a total is no third part",
         L("fresh.seafood", "大闸蟹 16只", "规格：公蟹4只 + 母蟹4只 合计8只", ""),
         "consistency.spec"},
        {"a warning against paying privately",
         L("digital.phones", "二手手机", "有问题联系平台客服，不要私下转账交易", ""), ""},
        {"a second-hand platform to search",
         L("apparel.women", "闲置大衣 M码", "更多闲置在 转转 搜 小鹿衣橱", ""),
         "diversion.other_platforms"},
        {"a qq number after 扣",
         L("digital.phones", "二手手机", "要报告的扣 幺三八 七七 五二零 六", ""), "diversion.qq"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__pure_fibres_against_the_contents_and_freight_collect(void **s)
{
    static const struct scase cases[] = {
        {"pure cotton against a blend",
         L("apparel.women", "100%纯棉 T恤 短袖", "面料：棉60% 聚酯纤维40%", ""),
         "consistency.spec"},
        {"pure silk against another fibre",
         L("apparel.women", "100%桑蚕丝 睡衣", "成分：聚酯纤维100%", ""), "consistency.spec"},
        {"percentages before the names", L("apparel.women", "全棉 卫衣", "主面料 95%棉 5%氨纶", ""),
         "consistency.spec"},
        {"a pure shell and another lining",
         L("apparel.women", "纯棉 外套", "面料：棉100% 里料成分：聚酯纤维100%", ""), ""},
        {"the filling is not the shell",
         L("apparel.women", "纯棉 棉服", "面料：棉100%；填充物：聚酯纤维100%", ""), ""},
        {"synonyms of one fibre", L("apparel.women", "真丝 衬衫", "面料：桑蚕丝100%", ""), ""},
        {"a feel is no content", L("apparel.women", "纯棉手感 T恤", "面料：聚酯纤维95% 氨纶5%", ""),
         ""},
        {"viscose is not cotton", L("apparel.women", "纯棉 连衣裙", "成分：人造棉100%", ""),
         "consistency.spec"},
        {"other categories are not read",
         L("beauty.skincare", "纯棉 化妆棉", "材质：聚酯纤维30%", ""), ""},
        {"a freight of 0 and freight collect",
         L("food.snacks", "桃酥 2kg", "发货说明：运费到付，由买家承担", ",\"freight_fen\":0"),
         "consistency.free_shipping"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_consistency__spoken_amounts_variants_and_codes_to_scan(void **s)
{
    static const struct scase cases[] = {
        {"a spoken price after a label",
         L("home.kitchen", "蒸锅 三层", "今天直播价只要一百二十九，拍下就是这个价",
           ",\"price_fen\":15900"),
         "consistency.price"},
        {"a hundred and fifty said short",
         L("home.kitchen", "蒸锅 直播间专享价一百五", "三层", ",\"price_fen\":15000"), ""},
        {"a spoken number before a word is no price",
         L("home.kitchen", "蒸锅", "只要一百天就能回本", ",\"price_fen\":15900"), ""},
        {"a measure after a price label is no price",
         L("beauty.skincare", "精华 全网最低价 30ml", "净含量：30ml", ",\"price_fen\":8900"),
         "advertising.absolute_terms"},
        {"two and a half jin", L("fresh.fruit", "沃柑 两斤半", "净含量：1250g", ""), ""},
        {"a jin and two liang", L("fresh.fruit", "沃柑 一斤二两", "净重：600g", ""), ""},
        {"half a jin more than the detail", L("fresh.fruit", "沃柑 两斤半", "净含量：1kg", ""),
         "consistency.spec"},
        {"another variant in the detail",
         L("digital.phones", "游戏手机 16GB+1TB", "16GB+1TB存储版本，另有12GB+256GB版本", ""), ""},
        {"zero freight against a freight",
         L("home.kitchen", "炒锅", "零运费，放心拍", ",\"freight_fen\":600"),
         "consistency.free_shipping"},
        {"a code to scan for a person to contact",
         L("digital.phones", "手机", "回收价请扫描详情页底部二维码，咨询回收师傅", ""),
         "diversion.qr_code"},
        {"a carrier only at extra cost",
         L("digital.phones", "充电器 顺丰包邮", "默认发韵达，需要顺丰请补差价5元", ""),
         "consistency.carrier"},
        {"a carrier and a surcharge for remote areas",
         L("digital.phones", "充电器 顺丰包邮", "顺丰发货，偏远地区补差价", ""), ""},
        {"one size against a list of sizes",
         L("apparel.women", "针织马甲 均码", "尺码：S / M / L / XL 四个码", ""),
         "consistency.spec"},
        {"sizes against one size", L("apparel.women", "连衣裙 S M L XL 四码", "尺码：均码", ""),
         "consistency.spec"},
        {"a range against what is left",
         L("apparel.women", "牛仔裤 S-XXL 全码", "尾货只剩 M、L 两个码", ""), "consistency.spec"},
        {"a size said to be missing",
         L("apparel.women", "针织衫 M码", "尺码：S / M / L（M码已断）", ""), "consistency.spec"},
        {"the sizes agree", L("apparel.women", "连衣裙 S/M/L", "尺码：S/M/L，身高160选M码", ""),
         ""},
        {"a litre is no size", L("home.kitchen", "电饭煲 5 L", "尺码：M", ""), ""},
        {"a range holds the titles' amount",
         L("fresh.seafood", "淡干海参 250g 约40头", "规格：250g 约35-45头", ""), ""},
        {"a charger's input and other ports",
         L("digital.phones", "充电器 65W 三口", "参数：C口 65W Max，A口 30W Max，功率 65W", ""),
         ""},
        {"a charger's power the detail does not state",
         L("digital.phones", "充电器 65W", "功率：30W", ""), "consistency.spec"},
        {"an accessory right before the device's brand",
         L("digital.phones", "手机壳 iPhone16 Pro", "材质：PP", ",\"brand\":\"壳源\""), ""},
        {"a code to check authenticity", L("digital.phones", "手机", "扫码验真，假一赔十", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

/* Attributes named in words (consistency.attributes): the titles, the detail after its label
 * (when the attribute has labels) and shipping_method naming kinds that share none. */
static void test_consistency__attributes_named_in_words(void **s)
{
    static const struct scase cases[] = {
        {"a colour the detail's label contradicts",
         L("digital.phones", "手机 8GB+256GB 曜石黑", "颜色：冰川白（仅此一色）", ""),
         "consistency.attributes"},
        {"the colour among the detail's",
         L("digital.phones", "手机 8GB+256GB 曜石黑", "颜色：曜石黑 / 冰川白", ""), ""},
        {"a colour in the detail without its label",
         L("apparel.women", "白色T恤", "搭配黑色裤子更好看", ""), ""},
        {"a steel grade", L("home.kitchen", "304不锈钢保温杯", "杯体材质：201不锈钢", ""),
         "consistency.attributes"},
        {"two grades for two parts",
         L("home.kitchen", "304不锈钢保温杯", "内胆304不锈钢，外壳201不锈钢", ""), ""},
        {"live against frozen", L("fresh.seafood", "鲜活基围虾 1斤", "冰冻发货，解冻后食用", ""),
         "consistency.attributes"},
        {"frozen negated", L("fresh.seafood", "鲜活基围虾 1斤", "非冰冻发货", ""), ""},
        {"storage advice", L("fresh.seafood", "鲜活基围虾 1斤", "收到后冷冻保存", ""), ""},
        {"cold chain against shipping_method",
         L("fresh.seafood", "三文鱼 500g", "全程冷链配送", ",\"shipping_method\":\"普通快递\""),
         "consistency.attributes"},
        {"an origin the detail's label contradicts",
         L("fresh.fruit", "新疆阿克苏苹果 5斤装", "产地：陕西洛川", ""), "consistency.attributes"},
        {"a city of the labelled province",
         L("fresh.fruit", "烟台苹果 5斤装", "产地：山东栖霞", ""), ""},
        {"regions in a free-shipping exception",
         L("fresh.fruit", "苹果 5斤 包邮（新疆、西藏除外）", "产地：陕西洛川", ""), ""},
        {"a flavour", L("food.snacks", "原味瓜子 500g", "口味：香辣味", ""),
         "consistency.attributes"},
        {"a network", L("digital.phones", "Y5 5G手机", "网络：仅支持 4G 全网通", ""),
         "consistency.attributes"},
        {"a chip's maker", L("digital.phones", "X7 骁龙8 Gen3 12+256G", "处理器：天玑9300", ""),
         "consistency.attributes"},
        {"the same chip's maker",
         L("digital.phones", "X7 骁龙8 Gen3 12+256G", "处理器：高通骁龙8 Gen3", ""), ""},
        {"a chip named outside its label",
         L("digital.phones", "X7 骁龙8 Gen3 12+256G", "比天玑机型更省电", ""), ""},
        {"sleeves", L("apparel.women", "雪纺衬衫 长袖", "袖长：短袖", ""),
         "consistency.attributes"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consistency__a_price_per_unit_is_the_price_of_what_the_titles_state),
        cmocka_unit_test(test_consistency__prices_in_characters_and_next_to_labels),
        cmocka_unit_test(test_consistency__counts_sizes_and_pack_sizes_are_specs),
        cmocka_unit_test(test_consistency__amounts_in_characters_before_weights_volumes_and_sets),
        cmocka_unit_test(test_consistency__a_letter_o_in_a_number_and_ascii_words_ended_by_a_space),
        cmocka_unit_test(test_consistency__a_cure_said_in_the_clause_after_its_diseases),
        cmocka_unit_test(test_consistency__memory_pairs_warnings_and_conditions),
        cmocka_unit_test(test_consistency__counts_lengths_milligrams_and_extra_freight),
        cmocka_unit_test(test_consistency__brand_stated_by_a_label_when_the_field_is_absent),
        cmocka_unit_test(test_consistency__warranty_and_return_freight_are_services),
        cmocka_unit_test(test_consistency__disguised_addresses_and_words_inside_words),
        cmocka_unit_test(test_consistency__a_labelled_brand_is_said_once_in_the_evidence),
        cmocka_unit_test(test_consistency__other_units_messaging_apps_and_international_numbers),
        cmocka_unit_test(test_consistency__pure_fibres_against_the_contents_and_freight_collect),
        cmocka_unit_test(test_consistency__spoken_amounts_variants_and_codes_to_scan),
        cmocka_unit_test(test_consistency__wholesale_tiers_and_conditions_one_order_meets),
        cmocka_unit_test(test_consistency__attributes_named_in_words),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
