/* Amounts the detail states of the goods by their name (docs/scan.md, named amounts): an amount
 * right before the goods' name as the title writes it (9色眼影盘 of 大地色眼影盘 12色) is compared
 * as a labelled one. Each listing with the rules it must fire and no other, under the default
 * policy; each positive with a near miss. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_named_amounts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
