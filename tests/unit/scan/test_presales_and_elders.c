/* Pre-sales, shops for older people and for students, far regions, mothers and bulk buyers
 * (docs/scan.md, holdout69's to holdout74's classes): a deposit and a balance are parts of the
 * price, a price per person of a group buy is another quantity's, experts and a doctor's own use
 * are endorsements, the lowest price said the long way, a vitamin after a plus is no WeChat, advice
 * and treatment under a doctor's guidance are no claims. Each listing with the rules it must fire
 * and no other, under the default policy; each positive with a near miss. */
#include "scan_cases.h"

static void test_prices__a_deposit_and_a_balance(void **s)
{
    static const struct scase cases[] = {
        {"a deposit and a balance that make the price",
         L("fresh.fruit", "预售 贵妃芒 5斤 定金¥10", "定金¥10，尾款¥59.9，合计¥69.9\\n规格：5斤",
           ",\"price\": \"69.90\""),
         ""},
        {"a deposit and a balance that do not",
         L("digital.phones", "预售 曜石M5 5G手机 8+256GB", "定金¥100，尾款¥2,000\\n规格：8GB+256GB",
           ",\"price\": \"2299.00\""),
         "consistency.price"},
        {"a deposit worth more, and the balance",
         L("digital.phones", "预售 折叠屏手机 16GB+512GB", "定金500抵800，尾款¥7,199",
           ",\"price\": \"7999.00\""),
         ""},
        {"a deposit alone",
         L("digital.phones", "预售 折叠屏手机 16GB+512GB", "定金¥100 锁定名额",
           ",\"price\": \"1999.00\""),
         ""},
        {"a price per person of a group buy",
         L("food.snacks", "自热米饭 4盒装 宿舍", "宿舍4个人一人一盒 人均 ¥9.98\\n规格：4盒 × 375g",
           ",\"price\": \"39.90\""),
         ""},
        {"the listing's price said otherwise",
         L("food.snacks", "自热米饭 4盒装 宿舍", "到手价 ¥35.9\\n规格：4盒 × 375g",
           ",\"price\": \"39.90\""),
         "consistency.price"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_words__endorsements_and_absolutes(void **s)
{
    static const struct scase cases[] = {
        {"experts recommending together",
         L("baby.formula", "婴儿配方奶粉 1段 400g", "北京儿科专家团队 联合推荐\\n规格：400g/罐",
           ""),
         "advertising.absolute_terms"},
        {"a department head's own use",
         L("beauty.skincare", "修护精华 30ml", "三甲医院皮肤科主任自己都在用\\n规格：30ml", ""),
         "advertising.absolute_terms"},
        {"advice to ask a doctor", L("beauty.skincare", "修护精华 30ml", "孕期使用请咨询医生", ""),
         ""},
        {"the lowest price said the long way",
         L("digital.phones", "预售 耀影P60 12+512GB", "全网找不到更低价 放心冲", ""),
         "advertising.absolute_terms"},
        {"a network word", L("digital.phones", "老人机 4G全网通 大按键", "支持全网通 4G", ""), ""},
        {"absorbed in full",
         L("health.supplements", "维生素C泡腾片 20片", "一片顶12个橙子 100%吸收", ""),
         "advertising.absolute_terms"},
        {"advice about sunscreen",
         L("beauty.skincare", "控油爽肤水 200ml", "本品为化妆品 不能治疗痤疮\\n使用后最好做好防晒",
           ""),
         ""},
        {"treatment under a doctor's guidance",
         L("health.supplements", "红曲纳豆胶囊 60粒",
           "保健功能：有助于维持血脂健康水平\\n本品不能代替药物，血脂异常请在医生指导下治疗", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_contacts__a_vitamin_and_a_homophone(void **s)
{
    static const struct scase cases[] = {
        {"calcium plus vitamin D",
         L("health.supplements", "钙+VD 150片 中老年", "钙+VD 规格：150片", ""), ""},
        {"a plus before an id", L("health.supplements", "钙片 150片", "售后+v：shop_2024", ""),
         "diversion.wechat"},
        {"Kuaishou by homophone as the place to buy",
         L("digital.phones", "新机预售 耀影P60 12+512GB", "去块手搜同名直播间下单", ""),
         "diversion.other_platforms"},
        {"a QR code to add the orchard's owner",
         L("fresh.fruit", "烟台红富士苹果 10斤", "每箱内附二维码卡片，扫码加果园主人", ""),
         "diversion.wechat"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_claims_brands_and_packs_of_older_and_younger_buyers(void **s)
{
    static const struct scase cases[] = {
        {"preventing dementia",
         L("fresh.seafood", "挪威三文鱼 中段 500g", "每周吃两次 记性越来越好，预防 阿尔茨海默症",
           ""),
         "efficacy.medical_claims"},
        {"blood sugar said to fall",
         L("baby.formula", "中老年羊奶粉 400g×2罐", "李阿姨喝了一个月，空腹血糖 从 9.2 掉到 6.1",
           ""),
         "efficacy.medical_claims"},
        {"blood sugar as a fact of the goods",
         L("baby.formula", "中老年羊奶粉 400g×2罐", "无蔗糖添加 血糖敏感人群请遵医嘱", ""), ""},
        {"insomnia cured at the root",
         L("health.supplements", "褪黑素维生素B6片 60片", "睡不着的毛病，一瓶下去就断根", ""),
         "efficacy.medical_claims"},
        {"a dupe of a brand, said so",
         L("digital.phones", "声迈 蓝牙耳机 AirPods 平替 续航30h",
           "外观对标 AirPods 价格不到它的五分之一", ",\"brand\": \"声迈\""),
         ""},
        {"a price of two cans beside a listing of one",
         L("baby.formula", "幼儿配方奶粉 3段 800g", "划线价 ¥258\\n2罐装 ¥378（两罐更划算）",
           ",\"price\": \"199.00\""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_facts__a_dispatch_time_said_with_words_between(void **s)
{
    static const struct scase cases[] = {
        {"made in five to seven days, then sent",
         L("food.snacks", "现做手工牛轧糖 500g 下单后48小时内发货",
           "接单后现熬，制作+晾凉需要5-7天，之后发出\\n规格：500g", ""),
         "consistency.facts"},
        {"about twenty days",
         L("beauty.skincare", "补水面膜 新批次预售 10片 7个工作日内发货",
           "新批次还在灌装，付款后20天左右发出\\n规格：25ml × 10片", ""),
         "consistency.facts"},
        {"about the titles' time",
         L("food.snacks", "现做手工牛轧糖 500g 下单后48小时内发货", "现熬现发，48小时左右发出", ""),
         ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_claims_of_far_regions_mothers_and_offices(void **s)
{
    static const struct scase cases[] = {
        {"stopping morning sickness, no page of fans",
         L("food.snacks", "孕期零食 苏打饼干 400g", "添加生姜粉 专门止孕吐", ""),
         "efficacy.medical_claims"},
        {"ginger powder, no claim",
         L("food.snacks", "孕期零食 苏打饼干 400g", "添加生姜粉 专门为孕妈设计", ""), ""},
        {"preventing a premature birth",
         L("health.supplements", "孕妇 DHA 藻油软胶囊 30粒", "孕期每天一粒 预防早产", ""),
         "efficacy.medical_claims"},
        {"a monitor instead of the hospital's",
         L("digital.phones", "孕妈宝 M1 手机 附赠胎心仪", "在家就能做产检 可以代替医院胎心监护",
           ""),
         "efficacy.medical_claims"},
        {"a maternity hospital's designation",
         L("baby.formula", "婴儿配方奶粉 1段 800g", "妇幼保健院新生儿科指定用奶", ""),
         "advertising.absolute_terms"},
        {"a provincial leader's recommendation",
         L("food.snacks", "新疆 馕 6个装", "省领导点名推荐的老手艺", ""),
         "advertising.absolute_terms"},
        {"a leader of a tour group, nothing endorsed",
         L("food.snacks", "新疆 馕 6个装", "旅行团领导带队来买过", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_specs_and_prices_of_bulk_orders(void **s)
{
    static const struct scase cases[] = {
        {"a tier of ten cases and more",
         L("food.snacks", "酿造酱油 500ml×12瓶 整箱",
           "规格：500ml/瓶 12瓶/箱 阶梯价：10箱及以上 每箱 ¥55", ",\"price\": \"59.90\""),
         ""},
        {"the case's price said otherwise",
         L("food.snacks", "酿造酱油 500ml×12瓶 整箱", "规格：500ml/瓶 12瓶/箱 到手价 ¥55",
           ",\"price\": \"59.90\""),
         "consistency.price"},
        {"a content per hundred millilitres",
         L("food.snacks", "山西老陈醋 2.3L×6桶 整箱", "规格：2.3L/桶 总酸≥6.0g/100ml", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prices__a_deposit_and_a_balance),
        cmocka_unit_test(test_words__endorsements_and_absolutes),
        cmocka_unit_test(test_contacts__a_vitamin_and_a_homophone),
        cmocka_unit_test(test_claims_brands_and_packs_of_older_and_younger_buyers),
        cmocka_unit_test(test_facts__a_dispatch_time_said_with_words_between),
        cmocka_unit_test(test_claims_of_far_regions_mothers_and_offices),
        cmocka_unit_test(test_specs_and_prices_of_bulk_orders),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
