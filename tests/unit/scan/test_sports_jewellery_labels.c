/* Sports goods, jewellery, package labels and an ordinary sample (docs/scan.md, holdout81's to
 * holdout84's classes): dimensions already read, a fast charge's hours, a freight said as
 * 全国统一, weights by 克重, a meat against the ingredients, a precious metal's purity, clothes'
 * UPF, a nylon garment without nylon, rates to the gram against doses, the claims and endorsements
 * of gyms and jewellers, a phone's 微信QQ双开. Each listing with the rules it must fire and no
 * other, under the default policy; each positive with a near miss. */
#include "scan_cases.h"

static void test_amounts_of_sports_goods_and_jewellery(void **s)
{
    static const struct scase cases[] = {
        {"a box's three dimensions, the height changed",
         L("home.kitchen", "收纳箱 40×30×20cm", "尺寸：40*30*25cm", ""), "consistency.spec"},
        {"a box's dimensions in another order",
         L("home.kitchen", "收纳箱 40×30×20cm", "尺寸：30×40×20cm", ""), ""},
        {"a fast charge's hours, no battery life",
         L("digital.phones", "无线耳机 续航30小时", "支持快充：充电10分钟，续航2小时", ""), ""},
        {"a chain with its extension",
         L("apparel.women", "S925银 项链 45cm", "链长：40+5cm延长链", ""), ""},
        {"a pendant's weight by 克重",
         L("apparel.women", "足金 吊坠 克重3.25g", "克重：3.52g（±0.02g）", ""),
         "consistency.spec"},
        {"a pendant's weight the same",
         L("apparel.women", "足金 吊坠 克重3.25g", "材质：足金999\\n克重：3.25g", ""), ""},
        {"a bangle's size",
         L("apparel.women", "翡翠手镯 圈口56mm 正圈", "种水：冰糯种\\n圈口58mm", ""),
         "consistency.spec"},
        {"a bangle's size and its width",
         L("apparel.women", "翡翠手镯 圈口56mm 正圈", "圈口：56mm\\n条宽：13mm", ""), ""},
        {"a large fruit's lower bound against a smaller one",
         L("fresh.fruit", "丹东 蓝莓 18mm+ 特大果 125g×4盒", "规格：单果 15mm+，125g × 4 盒", ""),
         "consistency.spec"},
        {"a large fruit's bound met",
         L("fresh.fruit", "丹东 蓝莓 18mm+ 特大果 125g×4盒", "规格：单果 18-22mm，125g × 4 盒", ""),
         ""},
        {"a ram joined to its storage is no lower bound",
         L("digital.phones", "星耀Z3 5G 8+256 游戏手机",
           "型号：星耀Z3\\n运行内存：12GB\\n机身存储：256GB", ""),
         "consistency.spec"},
        {"a ram among the SKUs' rams",
         L("digital.phones", "锐拓 X60 5G手机 8GB+256GB",
           "【SKU】X60 8+128 / X60 8+256 / X60 12+256\\n【屏幕】6.67英寸", ""),
         ""},
        {"one size against a size table's rows",
         L("apparel.women", "慵懒风 毛衣 女 均码 宽松",
           "尺码表：\\nS 胸围104 衣长60\\nM 胸围108 衣长62\\nL 胸围112 衣长64", ""),
         "consistency.spec"},
        {"one size and its one row",
         L("apparel.women", "慵懒风 毛衣 女 均码 宽松", "尺码表：\\n均码 胸围110 衣长62", ""), ""},
        {"bars counted two ways", L("food.snacks", "燕麦 蛋白棒 12根", "规格：45g×10根", ""),
         "consistency.spec"},
        {"caterpillar fungus to the gram, no count",
         L("health.supplements", "冬虫夏草 礼盒 5g 4根/g", "规格：5g（约20根）", ""), ""},
        {"a rate to the gram is no dose",
         L("health.supplements", "冬虫夏草 5g 礼盒 3根/g", "规格：5g/盒\\n每天2根炖汤", ""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_attributes_and_freight(void **s)
{
    static const struct scase cases[] = {
        {"beef jerky made of pork",
         L("food.snacks", "川味 风干牛肉干 250g", "配料表：猪肉、白砂糖、辣椒、食用盐\\n规格：250g",
           ""),
         "consistency.attributes"},
        {"beef jerky made of beef",
         L("food.snacks", "川味 风干牛肉干 250g", "配料表：牛肉、白砂糖、辣椒\\n规格：250g", ""),
         ""},
        {"a beef flavour is no meat",
         L("food.snacks", "牛肉味 薯片 70g", "配料：马铃薯、植物油、鸡肉粉\\n规格：70g", ""), ""},
        {"four nines against three",
         L("apparel.women", "千足金9999 小金豆 手链 1.02g", "材质：足金999\\n克重：1.02g", ""),
         "consistency.attributes"},
        {"sterling silver against fine silver",
         L("home.kitchen", "足银999 公道杯 200ml", "材质：S925银\\n容量：200ml", ""),
         "consistency.attributes"},
        {"18K in both", L("apparel.women", "18K金 钻石耳钉", "材质：18K金\\n颜色：白色", ""), ""},
        {"UPF said two ways",
         L("apparel.women", "UPF50+ 冰丝 防晒衣 女", "防晒指数：UPF40\\n尺码：M-XXL", ""),
         "consistency.attributes"},
        {"a titanium pot of aluminium",
         L("home.kitchen", "纯钛 露营套锅 单人", "材质：铝合金 阳极氧化\\n容量：900ml", ""),
         "consistency.attributes"},
        {"a brown liner whose shade is black",
         L("beauty.makeup", "防水眼线笔 棕色 0.5g", "色号：黑色\\n净含量：0.5g", ""),
         "consistency.attributes"},
        {"a nylon bra without nylon",
         L("apparel.women", "锦纶高弹 运动内衣 女", "面料成分：聚酯纤维 87% 氨纶 13%", ""),
         "consistency.spec"},
        {"a nylon bra of nylon",
         L("apparel.women", "锦纶高弹 运动内衣 女", "面料成分：锦纶 87% 氨纶 13%", ""), ""},
        {"free shipping against a freight said as uniform",
         L("fresh.fruit", "秭归 脐橙 9斤 包邮", "运费：全国统一 8 元", ""),
         "consistency.free_shipping"},
        {"a freight field against a uniform freight",
         L("fresh.fruit", "瑜伽 泡沫轴 33cm", "运费 统一 10 元", ",\"freight\": \"0.00\""),
         "consistency.free_shipping"},
        {"a uniform freight that is the field's",
         L("fresh.fruit", "瑜伽 泡沫轴 33cm", "运费 统一 10 元", ",\"freight\": \"10.00\""), ""},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

static void test_claims_of_gyms_and_jewellers(void **s)
{
    static const struct scase cases[] = {
        {"cherries lowering uric acid",
         L("fresh.fruit", "智利 车厘子 2斤", "樱桃 能 降尿酸，痛风 的 朋友 每天 吃", ""),
         "efficacy.medical_claims"},
        {"a drink preventing heatstroke",
         L("food.snacks", "电解质 运动饮料 550ml×15瓶", "高温天 预防 中暑", ""),
         "efficacy.medical_claims"},
        {"goodbye to insomnia", L("health.supplements", "褪黑素 60片", "一晚一片 跟失眠说再见", ""),
         "efficacy.medical_claims"},
        {"colds walking round you",
         L("fresh.fruit", "黄柠檬 3斤", "喝上一个冬天，感冒发烧都绕着你走", ""),
         "efficacy.medical_claims"},
        {"slim without dieting", L("apparel.women", "塑形 瑜伽裤 女", "不用 节食 就能 瘦下来", ""),
         "efficacy.weight_loss_claims"},
        {"slim-looking trousers, no claim",
         L("apparel.women", "阔腿裤 女 显瘦", "垂感好 显瘦 百搭", ""), ""},
        {"a muscle powder by the kilo, no promise",
         L("health.supplements", "乳清蛋白增肌粉 2kg", "训练后饮用，每次30g", ""), ""},
        {"slim-looking clothes, no weight loss",
         L("apparel.women", "竖条纹 阔腿裤 女", "竖条纹设计，视觉上就能瘦一圈", ""), ""},
        {"wrinkles smoothed away",
         L("beauty.skincare", "咖啡因眼霜 20g", "坚持一个月，干纹、细纹都会被慢慢抹平", ""),
         "efficacy.cosmetic_claims"},
        {"a head of department taking it",
         L("health.supplements", "维生素B族 100片", "某三甲医院营养科主任 自己天天在吃", ""),
         "advertising.absolute_terms"},
        {"an athlete's style, no endorsement",
         L("apparel.women", "速干T恤 女 运动员同款", "面料：聚酯纤维 100%", ""), ""},
        {"a doctor's advice on feeding, no endorsement",
         L("baby.formula", "婴儿配方奶粉 1段 800g", "医生说宝宝在吃奶粉期间注意补水", ""), ""},
        {"nylon and a waterproof coating, no promise",
         L("apparel.women", "冲锋衣 女 户外", "面料：锦纶100% 防水涂层", ""), ""},
        {"first in sales, said with 位", L("food.snacks", "手撕牛肉干 250g", "销量排第一位", ""),
         "advertising.absolute_terms"},
        {"the first infusion, no rank",
         L("food.snacks", "武夷肉桂 岩茶 250g", "冲泡：第一泡洗茶，第二泡开始饮用", ""), ""},
        {"soak it best in pure water, advice",
         L("fresh.seafood", "淡干海参 1斤装", "最好用纯净水泡发", ""), ""},
        {"a phone's twin apps, no invitation",
         L("digital.phones", "4G手机 6GB+128GB 微信QQ双开", "系统功能：支持微信、QQ等应用双开", ""),
         ""},
        {"a state banquet's abalone",
         L("fresh.seafood", "南非干鲍 10头 500g 人民大会堂国宴用鲍", "净含量：500g", ""),
         "advertising.absolute_terms"},
    };
    run(cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amounts_of_sports_goods_and_jewellery),
        cmocka_unit_test(test_attributes_and_freight),
        cmocka_unit_test(test_claims_of_gyms_and_jewellers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
