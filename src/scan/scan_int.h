/* Internals shared by the scanner's compiler (compile.c) and matcher (scan.c). */
#ifndef SW_SCAN_SCAN_INT_H
#define SW_SCAN_SCAN_INT_H

#include <hs/hs.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "scan/scan.h"

/* What a matched pattern means. */
enum sw_role {
    R_TERM,           /* a word of lists[owner] */
    R_ALLOW,          /* a fixed phrase of lists[owner] that clears a term inside it */
    R_WX_KW,          /* WeChat and its disguises: an id follows */
    R_WX_INVITE,      /* "add me on WeChat": a finding by itself */
    R_QQ_KW,          /* QQ and its disguises: a number follows */
    R_URL_SCHEME,     /* http:, https:, www */
    R_TLD,            /* com, cn...: a domain when a dot-like character precedes */
    R_AT,             /* @ of an e-mail address */
    R_SHIP_CLAIM,     /* free shipping */
    R_SHIP_DENIAL,    /* not free shipping */
    R_BRAND,          /* brands[owner] */
    R_BRAND_LABEL,    /* "brand:" followed by a name */
    R_PRICE_LABEL,    /* "price" followed by an amount */
    R_PRICE_IGNORE,   /* "original price": not the price */
    R_PROMISE,        /* an after-sales promise of promises[owner] */
    R_CARRIER,        /* carriers[owner] */
    R_CARRIER_DENIAL, /* "no choice of carrier" */
    R_OBJECT,         /* the object of phrases[owner]: a claim when one of its verbs precedes */
    R_FREIGHT_LABEL,  /* "freight" followed by an amount */
    R_SERVICE_DENIAL, /* "no returns": denies the service denial_service[owner] */
    R_SPEC_LABEL,     /* "net weight", "storage": what makes an amount in the detail a spec */
    R_PACK,           /* a digit, a unit of units[owner] and 装: a pack size (3斤装) */
    R_PRICE_AFTER,    /* "元秒杀", "元包邮": the amount right before it is the price */
    R_PHONE_LABEL,    /* "电话": 7-12 digits after it are a phone number, whatever their form */
    R_YUAN,           /* 元, matched when titles' bare amounts are read (price.title_amounts) */
    R_MSG_KW, /* a messaging app (KakaoTalk, LINE, Zalo): an id after a marker (ID:, 搜, @) */
    R_ORIGIN, /* where goods ship from: origins.kind[owner] (海外直邮, 保税仓, 上海仓) */
    R_ATTR_NAME,  /* a name of a kind of an attribute: owner attribute << 6 | kind (attributes.c) */
    R_ATTR_LABEL, /* a label of attributes.a[owner] (颜色, 产地) */
    R_FACT_LABEL, /* a label of a fact stated twice: owner FACT_* (生产日期, 保质期, 生产商) */
    R_CONV_UNIT, /* a unit of another system or a bridged class (oz, 磅, 英寸): a conversion may
                    stand next to it (spec.conversions) */
    R_NAME_LABEL, /* a product name's label (产品名称：): X牌 after it names a brand (lead.c) */
    R_CONTENT_UNIT, /* a digit and a content's unit (600mg, 400iu, 300亿): concentrations.c reads
                       the titles' contents only when they hold one (or a '%'). The last role a
                       uint64_t set of roles holds is the 64th */
};

/* A unit of a specification (consistency.spec): amounts of one class are comparable, in
 * thousandths of the class's base unit (factor = base units per unit). */
struct sw_pat {
    uint8_t role;
    uint16_t owner;
    uint32_t len; /* bytes of the normalised literal */
};

struct sw_rule {
    const char *rule;
    const char *type;
    const char *severity;
};

/* Where a list or brand applies: "*", "industry.*" or category codes, compiled from the
 * policy's strings (which it borrows). */
struct sw_catpat {
    const char *s;
    size_t n; /* for a prefix, the length up to and including the dot */
    bool prefix;
};

struct sw_catset {
    bool all; /* no categories given, or "*" among them */
    struct sw_catpat *v;
    int n;
};

struct sw_words;
struct sw_list {
    struct sw_rule r;
    struct sw_catset cs;
    bool negatable;
    bool diversion; /* of external_diversion: an anti-fraud notice's words are none */
    /* `registered`: claims (reg_terms) a registration (reg_marks: 国妆特字) permits */
    struct sw_words *reg_marks, *reg_terms, *reg_labels; /* labels: 保健功能 before a term */
    struct sw_catset reg_cs; /* where the registration counts (health.* for health food) */
};

/* A list's applies[] entry for a category: 0, or SW_APPLIES with SW_REGISTRABLE when its
 * `registered` terms may be registered there too. */
#define SW_APPLIES 1
#define SW_REGISTRABLE 2
signed char sw__list_applies(const struct sw_list *li, const char *category);

/* Normalised words looked up right behind a hit instead of matched everywhere: negations and
 * "compatible with" are common words (不, 非, 支持) that would make a hit every few bytes. */
#define SW_LISTED_MAX 4 /* consistency.spec.listed entries */

struct sw_words {
    char **w;
    uint8_t *len;
    int n;
    bool any_short; /* a word of one byte: the filter below cannot speak for it */
    /* a bit per hash of the last two bytes of each word (sw__words_end_hash): a position
     * whose bytes hash to an unset bit ends no word, and is passed without comparing any */
    uint64_t ends[16];
};

/* consistency.spec.size_words / fitting_words: words that, right after an amount of one of
 * the classes (a bit each), say what the amount is of (80mm大果: a fruit; 3.5mm 耳机: a fitting) */
struct sw_class_words {
    uint64_t classes;
    struct sw_words words;
};

/* A hash of the character at s (its bytes, up to three of them), 0-4095. */
static inline unsigned sw__cp_hash(const char *s, size_t n)
{
    unsigned a = (unsigned char)s[0];
    size_t l = a < 0x80 ? 1 : a < 0xE0 ? 2 : 3;
    unsigned b = l > 1 && n > 1 ? (unsigned char)s[1] : 0,
             c = l > 2 && n > 2 ? (unsigned char)s[2] : 0;
    return ((a * 131u + b) * 131u + c) & 4095u;
}

/* The byte length of the character whose first byte is at s. */
static inline size_t sw__char_len(const char *s)
{
    unsigned a = (unsigned char)s[0];
    return a < 0x80 ? 1 : a < 0xE0 ? 2 : a < 0xF0 ? 3 : 4;
}

/* A hash of the two characters at s (n bytes there), 0-4095; 4096 when there is one only. */
static inline unsigned sw__pair_hash(const char *s, size_t n)
{
    size_t l = sw__char_len(s);
    if (l >= n)
        return 4096;
    return (sw__cp_hash(s, n) * 4099u + sw__cp_hash(s + l, n - l)) & 4095u;
}

static inline unsigned sw__unit_start_hash(const char *s, size_t n)
{
    unsigned a = (unsigned char)s[0], b = n > 1 ? (unsigned char)s[1] : 0;
    return (a * 131u + b) & 1023u;
}

#define SW_NUMERAL_NAMES 48

struct sw_unit {
    int cls;
    double factor; /* base units per unit: 1000 (kg of g), 28.3495 (oz of g) */
    bool approx;   /* a factor with a fraction: its amounts are conversions, compared within 3% */
    struct sw_words names; /* normalised; read after a digit by the spec check, not matched */
    struct sw_catset cs;   /* where the unit applies (256G is storage among phones) */
    int64_t min;           /* fewer of it is no amount at all (5G is a network), 0: none */
    int64_t max;           /* more of it is none either (读速1050M is no length), 0: none */
    bool pow2;             /* only a power of two is one (256G; 199g of a phone is its weight) */
    bool numerals;         /* read after a numeral in characters too (三斤, 两件套) */
    bool rate; /* a rate in itself (鲍鱼10头: so many to the jin): one piece's size */
};

static inline unsigned sw__words_end_hash(const char *end)
{
    unsigned a = (unsigned char)end[-1], b = (unsigned char)end[-2];
    return (a * 31u + b * 7u) & 1023u;
}

/* Whether a word of `w` may end at p (p is past at least two bytes of text): false is sure. */
static inline bool sw__words_may_end(const struct sw_words *w, const char *p)
{
    unsigned h = sw__words_end_hash(p);
    return w->any_short || (w->ends[h >> 6] >> (h & 63)) & 1u;
}

/* A phrase pattern of a list (docs/scan.md "Phrase patterns"): one of `verbs`, then at most
 * `gap` characters of the same clause, then one of the objects (matched as patterns, role
 * R_OBJECT). Verbs are looked up behind an object hit, so a common verb (去, 治) costs nothing
 * where no object stands. */
struct sw_phrase {
    int list;   /* lists[list] gives rule, type, categories, allow, negatable */
    int gap;    /* characters */
    int commas; /* commas the gap may cross (a list of diseases, then its cure in the next clause)
                 */
    struct sw_words verbs;
    bool negatable_object; /* a negation right before the object undoes it (都不推荐) */
};

struct sw_brand {
    const char *name;
    bool not_a_brand; /* a word with a brand inside that is none (王者荣耀, 内蒙牛肉) */
    char *norm[8];    /* normalised name and aliases */
    int nnorm;
    struct sw_catset cs;
};

/* Large word lists are matched outside Hyperscan, whose literal matcher slows as a set of CJK
 * words grows (measured: raw Hyperscan 628 -> 331 MB/s from 200 to 20,000 terms). Terms that
 * start with three three-byte characters are found by a hash of those three code points: a
 * bitset says "maybe" for about one position in a hundred, a table gives the terms to compare.
 * The cost per character hardly depends on the number of terms. Used when a policy has
 * SW_PREFILTER_MIN such terms; shorter words stay in Hyperscan. */
#ifndef SW_PREFILTER_MIN
#define SW_PREFILTER_MIN 1000
#endif
/* The threshold in force (SW_PREFILTER_MIN); tests and the fuzzer raise it to compare the
 * prefilter with Hyperscan on the same words. */
extern int sw__prefilter_min;
#define SW_PF_PREFIX 9 /* bytes: three three-byte characters */
struct sw_pf_slot {
    uint64_t key; /* three code points, 0 = empty */
    uint32_t first, count;
};
struct sw_prefilter {
    uint64_t *bits;           /* 1 << SW_PF_BITS bits over the first three code points */
    struct sw_pf_slot *slots; /* open addressing, slot_mask + 1 slots */
    uint32_t slot_mask;
    uint32_t *pids; /* the terms of a slot: pids[first .. first + count) */
    char **text;    /* per pattern id: the normalised term, or NULL (in Hyperscan) */
    int nterms;
};

/* The bytes of the three-byte character at p (it has one more byte after it), as a number:
 * one unaligned load. */
static inline uint64_t sw_pf_char(const unsigned char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w & 0xFFFFFFu;
}
/* The key of three three-byte characters at p: their bytes, 24 bits each, the last lowest; the
 * first character's last byte falls off the 64 bits, so the key's top 16 bits are that
 * character's lead and second byte (never zero). */
static inline uint64_t sw_pf_key(const unsigned char *p)
{
    uint64_t k = 0;
    for (int c = 0; c < 3; c++, p += 3)
        k = (k << 24) | sw_pf_char(p);
    return k;
}
static inline uint32_t sw_pf_slot(uint64_t key, uint32_t mask)
{
    return (uint32_t)((key * 0xC2B2AE3D27D4EB4Full) >> 32) & mask;
}

/* A hash of the first three bytes of s[0..n) (the first character of a Chinese name). */
static inline unsigned sw__fibre_hash(const unsigned char *s, size_t n)
{
    unsigned h = s[0];
    h = h * 131 + (n > 1 ? s[1] : 0);
    h = h * 131 + (n > 2 ? s[2] : 0);
    return h & 0xFFFF;
}

struct sw_scanner {
    json_t *doc; /* the policy's scan section, held: rule names point into it */
    char version[64];
    uint64_t gen;
    hs_database_t *db; /* NULL when every word went to the prefilter */
    struct sw_prefilter *pf;
    struct sw_pat *pat;
    struct sw_list *lists;
    struct sw_brand *brands;
    const char **promise_service; /* per promise */
    const char **denial_service;  /* per after-sales denial group */
    int *promise_denial;          /* per promise group: the denial group of its service, or -1 */
    const char **carrier_code;
    struct sw_words *carrier_names; /* per carrier, normalised: read in shipping_method */
    struct sw_words ship_words; /* 默认发, 只发: a carrier after one in the detail is used */
    struct sw_words per_words;  /* 单果, 每串: the amount after one is of one piece */
    struct sw_class_words size_words;    /* 大果: the amount before is one piece's */
    struct sw_class_words fitting_words; /* 耳机: the amount before is a fitting's size */
    struct sw_class_words nutrients;     /* 蛋白质 12g: a nutrition table's, of a serving */
    struct sw_class_words piece_before;  /* 公4两: one crab's weight (piece_words.before) */
    struct sw_class_words piece_after; /* 3两/只, 3两左右一只: one piece's (piece_words.after) */
    struct sw_words spec_others; /* 另有, 还有: a detail's amount after one is another variant */
    struct sw_words spec_gifts;  /* 送, 赠: a detail's amount after one is a gift's */
    struct sw_words spec_not_gifts; /* 直送, 配送: no gift */
    /* 新疆, 偏远: a freight amount after one in its clause is theirs */
    struct sw_words ship_regions;
    /* 最大支持, 可扩展: a detail's amount after one is a limit */
    struct sw_words spec_limits;
    struct sw_words spec_changes;    /* spec.changes: 瘦10斤, ±0.2两: a change or a tolerance */
    struct sw_words spec_dose_times; /* spec.dose_times: 每次10g, 睡前半小时1片: a dose */
    struct sw_words spec_one_piece; /* spec.one_piece: 整只, 1个装: the titles sell one piece */
    struct sw_words
        spec_promises; /* spec.promises: 100%不钻绒: a percentage promised, no content */
    /* spec.conversions: an amount and its conversion side by side (30ml 1.7oz, 2.5磅 约2kg)
     * agree within `tolerance` percent; a bridge carries a class's amounts into another
     * (英寸 into length, 25.4 mm each; a converted weight next to a volume is fluid ounces) */
    struct sw_conversions {
        int tolerance; /* percent; 0: the check is off */
        int nbridges;
        struct sw_bridge {
            int from, to;
            double factor;
            bool converted_only; /* only amounts of a unit with a fraction (oz, not g) */
        } bridges[4];
    } conversions;
    /* 运行内存: the GB after one is the ram, not the storage */
    struct sw_words ram_labels;
    /* consistency.previous: 原, 之前, 旧规格: what follows (原50g, 原包邮, 原支持7天无理由) is
     * what the listing was, not what it is; not when a word of `not` starts there (原味) */
    struct sw_words prev_words, prev_not, prev_gone; /* gone: 已下架 after a value */
    struct sw_words prev_not_ending;                 /* 理由 holds the marker 由 */
    struct sw_words ship_after;   /* 配送, 发货: so is a carrier right before one */
    struct sw_words ship_options; /* 支持, 、: unless it stands in a list of options */
    struct sw_words ship_upgrades; /* 补差价, 到付: 顺丰补差价 is a carrier at extra cost */
    /* where the goods ship from (consistency.carrier.origins): kinds (abroad, bonded, at
     * home), each with its names (海外直邮, 保税仓, 上海仓) */
    struct sw_origins {
        int n;
        const char **kind;      /* borrowed from the policy document */
        struct sw_words *names; /* each kind's names, to read shipping_method */
    } origins;
    /* consistency.attributes: colour, material grade, freshness... named in words; attributes.c */
    struct sw_attrs {
        struct sw_rule r;
        int n;
        int nshort, shorts[4]; /* the attributes that are `short_title` (up to 4) */
        struct sw_attribute {
            const char *name; /* borrowed from the policy document, as kind[] */
            struct sw_catset cs;
            const char **kind;
            int nkinds;
            struct sw_words *names;    /* per kind, to read shipping_method (when method) */
            struct sw_words not_after; /* 保存: 冷冻保存 states no freshness */
            struct sw_words label_not; /* 直采: 产地直采 is no label of an origin */
            bool labelled;             /* the detail's names count after a label only */
            bool method;               /* shipping_method states it too */
            /* `short_title`: a labelled attribute whose names in the short title are compared
             * with the title's even when the detail names none; its names' first characters, a
             * bit per sw__cp_hash, so that a short title naming none costs a look per character */
            bool short_title;
            /* `substitutes`: labels whose names state what ships instead of what ran out (只发,
             * 默认发), read only after one of `after` in their sentence (白色断货了 只发黑色) */
            struct sw_words subst_labels, subst_after;
            uint64_t starts[64];
            /* and a bit per hash of the first two characters of each name of two or more
             * (sw__pair_hash); `single`: a name of one character, which the pairs do not cover */
            uint64_t pairs[64];
            bool single;
            int reach; /* characters back from a name to its label */
            /* In the titles, a name counts only as a claim (`claims`): a word of `after` right
             * after it (日本进口, 意大利产) or of `before` right before it (原产日本), or a
             * name that ends in one of `after` (国产); a name of a `home` kind (a bit each)
             * followed by an import word (`imports`) is where goods came in, no claim (大连进口,
             * 上海进口). */
            struct sw_words claim_after, claim_before, claim_not_before, claim_imports;
            uint64_t claim_home;
            /* `compound` (colours, among its own categories): a word of three ideographs
             * standing alone, no ideograph right before or after it in the original text,
             * whose last is one of `ends` names that end's kind (冰川银, 晨曦粉 the policy
             * does not list) */
            struct sw_catset compound_cs;
            struct sw_words compound_not; /* its last two ideographs name a metal: 铝合金 */
            int ncompound;
            uint64_t compound_last[64]; /* a bit per end: the low six bits of its 2nd and 3rd
                                         * bytes */
            char compound_end[16][4];
            int compound_kind[16];
        } * a;
    } attrs;
    /* consistency.facts: a production date, a shelf life, a manufacturer stated in the text
     * against the field or each other (facts.c) */
    struct sw_facts {
        struct sw_rule r;
        struct sw_words qualifiers; /* 开封后: a shelf life of another condition */
        struct sw_words shelf_not;  /* 未开封, 常温: the goods' own condition after all */
        struct sw_words least_qualifiers; /* 混批, 定制: a least order of some orders only */
        struct sw_words not ;             /* 委托: a manufacturer label of another party */
        struct sw_words pointers; /* 见: a manufacturer value that points elsewhere (as written) */
        struct sw_words parts;    /* 配件, 电池: a warranty of a part, not the product's */
        struct sw_words waits;    /* 节假日, 偏远: a dispatch time for some orders only */
        /* codes.c: where a shade code's and a model's labels apply */
        struct sw_catset code_cs[2];
    } facts;
    /* consistency.gifts: what the title gives (送锅铲) against the detail's denials and lists
     * (gifts.c) */
    struct sw_gifts {
        struct sw_rule r;
        struct sw_words verbs, after, not_gifts, denials, after_denials, labels;
        /* sets.c: the labels of a set's contents (套装内容) and what they list that is no piece
         * of the set (说明书, 包装盒) */
        struct sw_words set_labels, set_not;
        /* sets.c: a single piece said of a set's link (本链接为炒锅单品, 规格：单件) */
        struct sw_words single_frames, single_words;
    } gifts;
    struct sw_words price_conds;     /* 满, 减: an amount after one is a condition, not a price */
    struct sw_words price_not_after; /* 券, 红包: "5元券" in a title is no price */
    struct sw_words price_currencies; /* 円, 港币: 售价 1,280円 is no price in yuan */
    struct sw_words price_joins;      /* 一起拍: 两箱一起拍 ¥55 is the price of two */
    struct sw_words price_campaigns;  /* 618, 双11: 618到手1899 names a sale, not an amount */
    struct sw_words deposits, balances, deposit_worth; /* 定金, 尾款, 抵: a pre-sale's parts */
    bool title_amounts;              /* a bare "39.9元" in a title states the price */
    struct sw_words ship_conditions; /* 偏远, 新疆: a denial of free shipping for some only */
    struct sw_words ship_waivers;    /* 不用, 无需: 不用另外补运费 waives the freight */
    struct sw_words ship_exceptions; /* 除外: 包邮（新疆西藏除外） is a claim with exceptions */
    struct sw_words ship_surcharges; /* 加收: a denial only with an amount after (加收10元) */
    struct sw_phrase *phrases;
    struct sw_words verbs_any; /* no words: the phrases' verbs' ends filters, merged */
    struct sw_unit *units;
    bool numeral_units; /* a unit is read after numerals in characters too */
    /* a phone's memory written as a pair (8GB+256GB, 12+256): the first is of ram_class, the
     * second of storage_class (-1: no pairs), among memory_cs */
    int ram_class, storage_class;
    int nlisted;           /* consistency.spec.listed's entries (listed.c) */
    uint64_t several;      /* a bit per class a detail states several of (power: input, outputs) */
    uint64_t measures;     /* a bit per class of spec.measures: weights, volumes, lengths */
    uint64_t dimensions;   /* spec.dimensions: classes whose sides share a unit (60×40×10cm) */
    uint64_t self_stating; /* a bit per class whose one value in the detail needs no label */
    int self_units[16], nself_units; /* the units of those classes (at most 16 looked at) */
    /* self_stating entries {class, categories}: the class needs no label only there */
    struct sw_catset self_cs[8];
    int self_cs_cls[8], nself_cs;
    int prev_reach; /* consistency.previous.reach (beside the ints: no padding) */
    struct sw_catset memory_cs;
    /* consistency.spec.fibres: a fibre the titles call pure (纯棉, 100%桑蚕丝) against the
     * detail's composition (棉60% 聚酯纤维40%); fibres.c */
    struct sw_fibres {
        struct sw_catset cs;
        struct sw_words claims;    /* 纯, 100%: right before a fibre's name in a title */
        struct sw_words named;     /* 真丝, 羊绒: a title's name of the goods' material */
        struct sw_words not_after; /* 感, 手感: 纯棉手感 is a feel, not a content */
        struct sw_words parts;    /* 面料, 成分: the nearest before a content names the shell */
        struct sw_words excludes; /* 里料, 填充物: ...or a part a pure shell may differ in */
        struct sw_words fabrics; /* 冰丝: a trade name before its fibre (冰丝（聚酯纤维）) */
        struct sw_words *names; /* per fibre: its names (棉, cotton) */
        int n;
        uint64_t starts[1024]; /* a bit per sw__fibre_hash of a name: no bit, no name there */
    } fibres;
    /* consistency.spec.doses: the categories whose pieces, day's dose and days are compared
     * (doses.c) */
    bool doses_on;
    struct sw_catset doses_cs;
    /* consistency.spec.concentrations: an ingredient's percentage in the titles (烟酰胺5%)
     * against the detail's (烟酰胺10%); concentrations.c */
    /* the units of a content other than a gram's, each matched after a digit (R_CONTENT_UNIT) */
#define SW_CONTENT_UNITS "mg", "毫克", "mcg", "μg", "µg", "ug", "微克", "iu", "亿"
    struct sw_concs {
        struct sw_catset cs;
        struct sw_words *names; /* per ingredient: its names (烟酰胺, niacinamide) */
        int n;
    } concs;
    /* consistency.spec.sizes: the titles' letter sizes or one size (M/L/XL, 均码) against the
     * detail's (尺码：S/M, 只剩M、L, 无M码); sizes.c */
    struct sw_sizes {
        bool on;
        struct sw_catset cs;
        struct sw_words labels;   /* 尺码, 码数: the sizes after one are the listing's */
        struct sw_words only;     /* 只有, 只剩: ...all of them */
        struct sw_words missing;  /* 无, 已断: 无M码, M码已断 */
        struct sw_words one_size; /* 均码, 均号, free size */
        struct sw_words lengths;  /* 衣长, 裙长: a length's labels (lengths.c) */
    } sizes;
    /* the names of those units of more than one byte (斤, 公斤, 件套...), and a bit per hash
     * of their first two bytes: a character followed by bytes whose bit is unset ends no
     * amount in characters */
    uint64_t numeral_starts[16];
    const char *numeral_names[SW_NUMERAL_NAMES];
    int numeral_lens[SW_NUMERAL_NAMES], nnumeral_names;
    /* a bit per hash of the first two bytes of each unit name (sw__unit_start_hash): a digit
     * followed by bytes whose bit is unset starts no unit */
    uint64_t unit_starts[16];
    uint64_t unit_bytes[4]; /* the names of one byte (g, l): a bit per byte */
    /* every unit name, by its first byte: names[first[b] .. first[b + 1]) start with b */
    struct sw_unit_name {
        const char *w;
        uint32_t len;
        int unit;
    } * unit_names;
    uint16_t unit_first[257];
    struct sw_words negations, compat, compat_after, accessories, genuine;
    struct sw_words not_negations; /* words that hold a negation's character: 南非, 非洲 */
    struct sw_words denial_conditions; /* after_sales: 拆封后不支持退换 denies only some returns */
    struct sw_words ship_orders; /* free_shipping.orders: 拍2件及以上 (larger orders) */
    struct sw_words ship_others; /* free_shipping.others: 其余地区 (not the regions) */
    struct sw_words ship_local;  /* free_shipping.local: 江浙沪包邮 is a regional claim */
    struct sw_words denial_exclusions; /* after_sales: 人为进水不在保修范围 excludes damage */
    struct sw_words promise_lookups; /* after_sales: 查保修 looks a service up, promises none */
    struct sw_words promise_lookups_after; /* ... and so does 保修状态 (可查询激活和保修状态) */
    struct sw_words promise_withdrawn; /* 不适用: 7天无理由不适用生鲜 takes the promise back */
    struct sw_words title_tags;        /* consistency.brand.title_tags: words no brand tag holds */
    struct sw_words title_tag_stores; /* ...title_tag_stores: a store's words after a brand */
    struct sw_words house_not; /* ...house_not: words that make the name before 家的 no brand */
    struct sw_words lead_markers;  /* ...lead_markers: 原装 after the title's opening name */
    struct sw_words title_markers; /* ...title_markers: 原创 ending the title's opening name */
    struct sw_words lead_not;      /* ...lead_not: places, whose name opens titles too */
    struct sw_words maker_words;   /* ...maker_words: 电器, 服饰 after a maker's own name */
    /* consistency.spec.listed: a list of kinds after one of labels (颜色分类：黑 / 白, 口味：原味 /
     * 香辣) states an amount of the entry's class; listed.c */
    struct sw_listed {
        struct sw_words labels, skip;
        int cls;
        bool choices; /* compared only with a titles' count of kinds to choose (五色可选), not one
                       * right before the goods' name (十二色眼影盘: a palette's pans) */
    } listed[SW_LISTED_MAX];
    struct sw_words listed_units; /* the names of the units of listed classes (色, 件套...) */
    /* negation scope (docs/scan.md "Negation"): a scope word, then only fillers, other claims
     * and phrase verbs, up to scope_reach characters, then the claim */
    struct sw_words scope_words, scope_fillers;
    /* negation_scope.waits: an end waited for, no claim (等不咳了再添加, 止住后可冲饮) */
    struct sw_words wait_before, wait_after;
    struct sw_words invite_warnings; /* 骗子, 请勿相信: an invitation in a warning is none */
    struct sw_words code_labels; /* 批号, 备案号: the digits after one are a code, no phone */
    struct sw_words questions;   /* 吗: a claim asked about (能祛痘吗？) is no claim */
    int64_t max_image_pixels;    /* pixels one image may declare (width x height) */
    int64_t max_request_pixels;  /* pixels all images of one scan may declare together */
    int64_t max_findings;        /* findings one listing reports at most (after folding) */
    struct sw_rule wechat, qq, messaging, phone, url, email, qr, ship, brand, price, after_sales,
        carrier, spec, three_no;
    int npat, nlists, nbrands, npromises, ndenials, ncarriers, nphrases, nunits, nunit_classes;
    int scope_reach;
};

/* Whether the name of a unit read after numerals starts at s[0..n) (三斤, 两件套). */
static inline bool sw__numeral_unit_at(const struct sw_scanner *sc, const char *s, size_t n)
{
    if (n < 2)
        return false;
    unsigned h = sw__unit_start_hash(s, n);
    if (!((sc->numeral_starts[h >> 6] >> (h & 63)) & 1))
        return false;
    for (int i = 0; i < sc->nnumeral_names; i++)
        if ((size_t)sc->numeral_lens[i] <= n &&
            memcmp(s, sc->numeral_names[i], (size_t)sc->numeral_lens[i]) == 0)
            return true;
    return false;
}

/* Category code matches a set: "*", "industry.*" or the exact code. */
bool sw__catset_match(const struct sw_catset *cs, const char *category);

#endif
