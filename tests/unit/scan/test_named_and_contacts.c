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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_named_amounts),
        cmocka_unit_test(test_contacts_in_a_row),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
