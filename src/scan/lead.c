/* A title that opens with a name of its own (海岚 A5 老人手机, 舟渔 带鱼段 5斤) other than the
 * brand field's, when something else says that name is the goods' brand: the detail puts a
 * word of consistency.brand.lead_markers right after it (海岚原装正品, 康维力官方授权). A name
 * holding a word the policy knows (a claim, an attribute's kind) or one of brand.lead_not (a
 * place: 澳洲原装) is no such name. The manufacturer's name is the other witness when it holds the
 * name right before a word of brand.maker_words (广东美的生活电器..., 杭州衣念服饰...): a maker's
 * name holds the goods as often as the brand (周至县猕猴桃专业合作社), the word after it tells.
 * A name alone proves nothing (保温杯 500ml opens a title the same way), so without a witness it
 * is left alone. A title or short title that opens with a look-alike of the brand field (three
 * or four ideographs, one of them changed: 乐小满 for 味小满) needs none. */
#include <string.h>

#include "scan/detect.h"
#include "scan/normalize.h"
#include "scan/scan_int.h"

#define LEAD_MIN 2 /* ideographs of the name */
#define LEAD_MAX 4
#define MODEL_MAX 16

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Where the field's text starts in the original, past spaces (ASCII and ideographic). */
static uint32_t text_start(const struct field *f)
{
    const char *o = f->orig;
    uint32_t p = 0;
    for (uint32_t l; (l = sw__space_at(o, f->olen, p)) != 0;)
        p += l;
    return p;
}

/* The title's opening name: LEAD_MIN..LEAD_MAX ideographs after spaces, ended by a space, the
 * end, or a model code (letters and digits with a digit among them: 星耀X9), or with `digits`
 * by a digit (a short title's 安贝3段). */
static bool opening_name(const struct field *f, bool digits, uint32_t *s, uint32_t *e)
{
    const char *o = f->orig;
    uint32_t p = text_start(f);
    *s = p;
    int k = 0;
    while (p < f->olen && sw__han_at(o + p, f->olen - p) && k <= LEAD_MAX) {
        p += 3;
        k++;
    }
    *e = p;
    if (k < LEAD_MIN || k > LEAD_MAX)
        return false;
    if (p == f->olen || sw__space_at(o, f->olen, p))
        return true;
    if (digits && o[p] >= '0' && o[p] <= '9')
        return true; /* 安贝3段: a name, then the goods' stage or amount */
    size_t m = 0;
    bool digit = false;
    while (p + m < f->olen && is_alnum(o[p + m]) && m < MODEL_MAX) {
        digit |= o[p + m] >= '0' && o[p + m] <= '9';
        m++;
    }
    return m >= 2 && digit && !(p + m < f->olen && is_alnum(o[p + m]));
}

/* The word of brand.lead_markers that starts at q (before end), or NULL. */
static const char *marker_at(const struct sw_scanner *sc, const char *q, const char *end)
{
    for (int i = 0; i < sc->lead_markers.n; i++)
        if ((size_t)(end - q) >= sc->lead_markers.len[i] &&
            memcmp(q, sc->lead_markers.w[i], sc->lead_markers.len[i]) == 0)
            return sc->lead_markers.w[i];
    return NULL;
}

/* The detail heads a line with the name in brackets and a marker after it (【颜研所】官方授权店铺,
 * 【炊大师】正品): a brand's, as a page's heading names it (【晚安眼霜】 alone names the goods). */
static bool bracketed(const struct sw_scanner *sc, const struct field *d, const char *name,
                      size_t n)
{
    char tag[SW_NORM_CAP(LEAD_MAX * 3) + 8];
    if (n + 6 >= sizeof tag)
        return false;
    memcpy(tag, "【", 3);
    memcpy(tag + 3, name, n);
    memcpy(tag + 3 + n, "】", 3);
    const char *end = d->norm + d->n;
    for (const char *p = d->norm; (p = memmem(p, (size_t)(end - p), tag, n + 6)) != NULL; p++) {
        if ((p == d->norm || p[-1] == '\n') && marker_at(sc, p + n + 6, end))
            return true; /* not mid-line: 公众号【果农老陈】 is an account's name */
    }
    return false;
}

/* The detail puts a marker right after the name (海岚原装); the marker. */
static const char *marked(const struct sw_scanner *sc, const struct field *d, const char *name,
                          size_t n)
{
    const char *p = d->norm, *end = d->norm + d->n;
    const char *m = NULL;
    while (!m && (p = memmem(p, (size_t)(end - p), name, n)) != NULL) {
        p += n;
        m = marker_at(sc, p, end);
    }
    return m;
}

/* The opening name ends in a title_markers word after two ideographs at least (栀南原创,
 * 海岚原装): cut to the name before it (*n), and the marker. */
static const char *own_marker(const struct sw_scanner *sc, char *name, size_t *n)
{
    for (int i = 0; i < sc->title_markers.n; i++) {
        size_t ml = sc->title_markers.len[i];
        if (*n >= ml + (size_t)LEAD_MIN * 3 &&
            memcmp(name + *n - ml, sc->title_markers.w[i], ml) == 0) {
            *n -= ml;
            name[*n] = '\0';
            return sc->title_markers.w[i];
        }
    }
    return NULL;
}

/* The manufacturer's name holds the name right before a word of brand.maker_words (广东美的生活
 * 电器制造有限公司, 杭州衣念服饰有限公司): the maker's own name, so the goods' brand. Not when
 * the brand field is in the maker's name too (上海锦绣旗袍服饰 of brand 锦绣旗: the name is then
 * the goods). The word after the name, or NULL. */
static const char *maker(const struct sw_scanner *sc, const struct sw_listing *l, const char *name,
                         size_t n, const char *pb)
{
    char m[SW_NORM_CAP(SW_VALUE_MAX) + 1];
    if (!sc->maker_words.n || !sw__normalize_value(l->manufacturer, m) || strstr(m, pb))
        return NULL;
    size_t ml = strlen(m);
    for (const char *p = m; (p = memmem(p, ml - (size_t)(p - m), name, n)) != NULL;) {
        p += n;
        for (int i = 0; i < sc->maker_words.n; i++)
            if (strncmp(p, sc->maker_words.w[i], sc->maker_words.len[i]) == 0)
                return sc->maker_words.w[i];
    }
    return NULL;
}

/* A word the policy knows lies in the name (澳洲, 铁观音 as a tea's kind, a claim): goods or a
 * place, not a name of the goods' own. */
static bool known_word(const struct field *f, size_t n)
{
    for (size_t i = 0; i < f->nhits; i++) /* sorted by end: each is looked at */
        if (f->hits[i].from < n)
            return true;
    return false;
}

/* The name holds a word of goods (保湿 面霜, 进口 奶粉: title_tags) or a place (澳洲原装:
 * brand.lead_not): the goods', not a name of their own. */
static bool goods_words(const struct sw_scanner *sc, const char *name)
{
    for (int i = 0; i < sc->title_tags.n; i++)
        if (strstr(name, sc->title_tags.w[i]))
            return true;
    for (int i = 0; i < sc->lead_not.n; i++)
        if (strstr(name, sc->lead_not.w[i]))
            return true;
    return false;
}

static bool has_han(const char *s)
{
    for (size_t i = 0, n = strlen(s); i < n; i++)
        if (sw__han_at(s + i, n - i))
            return true;
    return false;
}
static void lead_of(const struct field *fs, int fi, const struct sw_listing *l, struct out *o)
{
    const struct field *f = &fs[fi];
    const struct sw_scanner *sc = f->sc;
    uint32_t s, e;
    char pb[512], name[SW_NORM_CAP(LEAD_MAX * 3) + 1];
    uint32_t map[SW_NORM_CAP(LEAD_MAX * 3) + 1];
    size_t n = 0;
    if (!sc->lead_markers.n || !sc->brand.rule || !l->brand || !l->brand[0] ||
        !opening_name(f, false, &s, &e))
        return;
    sw__brand_of(l, pb);
    /* a brand field in letters may be the name's spelling (海岚 and HAILAN): not compared */
    if (!pb[0] || !has_han(pb) || memmem(f->norm, f->n, pb, strlen(pb)) ||
        sw_normalize(f->orig + s, e - s, name, map, &n) >= 0)
        return;
    name[n] = '\0';
    /* the marker first: few details have one after the name, and the rest is word lists; a
     * name that ends in one in the title itself (栀南原创) is marked there */
    const struct field *d = &fs[SW_SF_DETAIL];
    const char *why = own_marker(sc, name, &n);
    if (!why)
        why = marked(sc, d, name, n);
    if (!why && bracketed(sc, d, name, n))
        why = " in a tag of its own";
    const char *made = why ? NULL : maker(sc, l, name, n, pb);
    /* a detail that names the brand field agrees with it: the name is the goods' (保温杯正品) */
    if ((!why && !made) || memmem(d->norm, d->n, pb, strlen(pb)) || strstr(pb, name) ||
        strstr(name, pb) || known_word(f, n) || sw__same_known(sc, name, pb))
        return;
    if (goods_words(sc, name))
        return;
    for (int i = 0; i < sc->nbrands; i++)
        for (int k = 0; k < sc->brands[i].nnorm; k++)
            if (strcmp(sc->brands[i].norm[k], name) == 0)
                return; /* a known brand: the brand check's own */
    struct finding *x = sw__add(o, &sc->brand, fi, s, e);
    if (!x)
        return;
    if (why)
        sw__evidence(o, x,
                     "the %s opens with %s, which the detail calls %s%s; the listing's "
                     "brand is %s",
                     sw_scan_field_names[fi], name, name, why, l->brand);
    else
        sw__evidence(o, x, "the %s opens with %s, the maker's name (%s); the listing's brand is %s",
                     sw_scan_field_names[fi], name, l->manufacturer, l->brand);
    sw__ev_about(x, name, n);
}

/* The name (bl bytes of ideographs) holds the characters of b in another order (康维力 for
 * 维康力). */
static bool reordered(const char *name, const char *b, size_t bl)
{
    bool used[4] = {false, false, false, false};
    for (size_t i = 0; i < bl; i += 3) {
        size_t k = 0;
        while (k < bl && (used[k / 3] || memcmp(name + i, b + k, 3) != 0))
            k += 3;
        if (k >= bl)
            return false;
        used[k / 3] = true;
    }
    return memcmp(name, b, bl) != 0;
}

/* The name ending at orig offset e stands alone: a space or the text's end after it. */
static bool name_ends(const struct field *f, uint32_t e)
{
    return e >= f->olen || sw__space_at(f->orig, f->olen, e);
}

/* The syllables of a spelling in capitals, as pinyin has them: its runs of vowels (QIZHUANG:
 * I, UA; DHA, a nutrient's letters, has one for 藻油's two). */
static int syllables(const char *s, size_t n)
{
    int runs = 0;
    for (size_t i = 0; i < n; i++) {
        bool v = strchr("AEIOUV", s[i]) != NULL;
        if (v && (i == 0 || !strchr("AEIOUV", s[i - 1])))
            runs++;
    }
    return runs;
}

/* The title opens with a name in two scripts, its ideographs right before its spelling in
 * capitals (绮妆QIZHUANG, 依美YIMEI: three to sixteen letters, then a space, the end or an
 * ideograph) of as many syllables as it has ideographs: a brand's way of writing itself, so it
 * needs no other witness against a brand field in ideographs that is neither part of it nor named
 * in the titles. */
static void spelled_lead(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct field *f = &fs[SW_SF_TITLE];
    const struct sw_scanner *sc = f->sc;
    const char *t = f->orig;
    uint32_t s = 0, p, q;
    while (s < f->olen && t[s] == ' ')
        s++;
    bool capital = false; /* most titles have none after two to four ideographs: looked at first */
    for (uint32_t k = LEAD_MIN * 3; k <= LEAD_MAX * 3 && s + k < f->olen; k += 3)
        capital |= t[s + k] >= 'A' && t[s + k] <= 'Z';
    if (!capital)
        return;
    s = text_start(f);
    p = s;
    int k = 0;
    while (p < f->olen && sw__han_at(t + p, f->olen - p) && k <= LEAD_MAX) {
        p += 3;
        k++;
    }
    for (q = p; q < f->olen && t[q] >= 'A' && t[q] <= 'Z' && q - p <= 16;)
        q++;
    if (k < LEAD_MIN || k > LEAD_MAX || q - p < 3 || q - p > 16 || syllables(t + p, q - p) != k ||
        !(q == f->olen || sw__space_at(t, f->olen, q) || sw__han_at(t + q, f->olen - q)))
        return;
    char pb[512], name[SW_NORM_CAP(LEAD_MAX * 3) + 1];
    uint32_t map[SW_NORM_CAP(LEAD_MAX * 3) + 1];
    size_t n = 0;
    sw__brand_of(l, pb);
    if (!pb[0] || !has_han(pb) || sw_normalize(t + s, p - s, name, map, &n) >= 0)
        return;
    name[n] = '\0';
    if (sw__titles_hold(fs, pb, strlen(pb)))
        return;
    if (strstr(pb, name) || strstr(name, pb) || sw__same_known(sc, name, pb) ||
        goods_words(sc, name))
        return;
    struct finding *x = sw__add(o, &sc->brand, SW_SF_TITLE, s, q);
    if (x) {
        sw__evidence(o, x,
                     "the title opens with %.*s, a brand's name in two scripts; the "
                     "listing's brand is %s",
                     (int)(q - s), t + s, l->brand);
        sw__ev_about(x, name, n);
    }
}

/* The field opens with a look-alike of the brand field b (as written): three or four
 * ideographs, one of them changed but the last (乐小满 for 味小满, 康立源 for 康力源; 阿胶块 of
 * brand 阿胶坊 is the goods, a name's last character is often its kind). Its span in *s..*e. */
static bool look_alike(const struct field *f, const char *b, uint32_t *s, uint32_t *e)
{
    size_t bl = strlen(b);
    if (bl != 9 && bl != 12)
        return false;
    uint32_t p = text_start(f);
    if (p + bl > f->olen)
        return false;
    const char *name = f->orig + p;
    int differ = 0;
    for (size_t i = 0; i < bl && differ < 2; i += 3) {
        if (!sw__han_at(name + i, bl - i) || !sw__han_at(b + i, bl - i))
            return false;
        if (memcmp(name + i, b + i, 3) != 0)
            differ += i + 3 < bl ? 1 : 2;
    }
    *s = p;
    *e = p + (uint32_t)bl;
    return differ == 1 || (differ > 1 && reordered(name, b, bl) && name_ends(f, *e));
}

/* A look-alike that opens field fi, when the field names the brand nowhere and another text of
 * the listing does (the seller writes the brand, and this field a copy of it; 自家果园 of a brand
 * 农家果 that no text names is a phrase, not a copy). */
static void alike_lead(const struct field *fs, int fi, const struct sw_listing *l, struct out *o)
{
    const struct field *f = &fs[fi];
    char pb[512];
    uint32_t s, e;
    if (!look_alike(f, l->brand, &s, &e))
        return;
    sw__brand_of(l, pb);
    size_t pl = strlen(pb);
    bool named = reordered(f->orig + s, l->brand, e - s); /* all its characters: a copy's typo */
    for (int k = 0; k < SW_SF__COUNT && !named; k++)
        named = k != fi && fs[k].n && memmem(fs[k].norm, fs[k].n, pb, pl);
    if (!pl || !named || memmem(f->norm, f->n, pb, pl))
        return;
    struct finding *x = sw__add(o, &f->sc->brand, fi, s, e);
    if (x) {
        sw__evidence(o, x, "the %s opens with %.*s, a look-alike of the listing's brand %s",
                     sw_scan_field_names[fi], (int)(e - s), f->orig + s, l->brand);
        sw__ev_about(x, f->orig + s, e - s);
    }
}

/* The short title opens with a name of its own (卓羊 羊奶粉3段) that the title, which opens with
 * the brand field (羊羔宝 羊奶粉 3段), does not hold: two brands for one listing. The title's
 * opening with the brand is the witness; a name the policy knows is none. */
static void short_lead(const struct field *fs, const struct sw_listing *l, struct out *o)
{
    const struct field *t = &fs[SW_SF_TITLE], *f = &fs[SW_SF_SHORT_TITLE];
    const struct sw_scanner *sc = f->sc;
    uint32_t ts, te, s, e;
    char pb[512], tname[SW_NORM_CAP(LEAD_MAX * 3) + 1], name[SW_NORM_CAP(LEAD_MAX * 3) + 1];
    uint32_t map[SW_NORM_CAP(LEAD_MAX * 3) + 1];
    size_t tn = 0, n = 0;
    if (!f->n || !opening_name(t, false, &ts, &te) || !opening_name(f, true, &s, &e))
        return;
    sw__brand_of(l, pb);
    if (!pb[0] || sw_normalize(t->orig + ts, te - ts, tname, map, &tn) >= 0 ||
        sw_normalize(f->orig + s, e - s, name, map, &n) >= 0)
        return;
    tname[tn] = name[n] = '\0';
    if (strcmp(tname, pb) != 0 || known_word(f, n) || sw__same_known(sc, name, pb))
        return;
    /* any two of its characters in the title: the same name written otherwise (乐铂二段 of 乐铂
     * 2段) or the goods (即食海参 of 海参) */
    for (size_t k = 0; k + 6 <= n; k += 3)
        if (memmem(t->norm, t->n, name + k, 6))
            return;
    if (goods_words(sc, name))
        return;
    struct finding *x = sw__add(o, &sc->brand, SW_SF_SHORT_TITLE, s, e);
    if (!x)
        return;
    sw__evidence(o, x, "the short title opens with %s; the title opens with the listing's brand %s",
                 name, l->brand);
    sw__ev_about(x, name, n);
}

/* A brand named the way registered goods name theirs, X牌 (优臻牌维生素C咀嚼片): two to four
 * ideographs and 牌, written as one word, opening the title, the short title, or the value of
 * a product name's label in the detail (brand.name_labels: 产品名称：, 品名：), other than the
 * brand field. Not a word of its own with 牌 (贴牌, 大牌, 品牌, 吊牌,
 * 牌子), a name of goods words (国产牌) nor one the policy knows. The name's end, or 0. */
static uint32_t pai_end(const struct field *f, uint32_t st)
{
    /* 贴牌, 大牌, 品牌, 吊牌 and the goods that are a 牌: 扑克牌, 麻将牌, 塔罗牌, 桌牌, 警示牌 */
    static const char words[] =
        "贴大名杂老王金招品吊灯铭门车奖挂换冒正商克将罗桌识示号胸工路手骨纸木铜银红黄台告";
    for (uint32_t k = LEAD_MIN, q; k <= LEAD_MAX && (q = st + k * 3) + 3 <= f->n; k++) {
        if (memcmp(f->norm + q, "牌", 3) != 0)
            continue;
        for (uint32_t c = st; c < q; c += 3)
            if (!sw__ideograph_at(f->norm, q, c))
                return 0;
        if (q + 6 <= f->n && memcmp(f->norm + q + 3, "子", 3) == 0)
            return 0;
        for (size_t w = 0; w + 3 <= sizeof words - 1; w += 3)
            if (memcmp(f->norm + q - 3, words + w, 3) == 0)
                return 0;
        uint32_t os, oe;
        sw__orig_span(f, st, q + 3, &os, &oe);
        return oe - os == q + 3 - st ? q : 0; /* 护肝片 贴牌: not one word */
    }
    return 0;
}

static bool pai_brand_at(const struct field *f, int fi, uint32_t st, const struct sw_listing *l,
                         struct out *o)
{
    const struct sw_scanner *sc = f->sc;
    char pb[512], name[LEAD_MAX * 3 + 1];
    uint32_t q = pai_end(f, st);
    if (!q)
        return false;
    size_t nl = q - st;
    memcpy(name, f->norm + st, nl);
    name[nl] = '\0';
    sw__brand_of(l, pb);
    if (!pb[0] || !has_han(pb) || strstr(pb, name) || strstr(name, pb) || goods_words(sc, name) ||
        sw__same_known(sc, name, pb))
        return true;
    struct finding *x = sw__add_at(o, &sc->brand, f, fi, st, q + 3);
    if (x) {
        sw__evidence(o, x, "the %s names the brand %s牌; the listing's brand is %s",
                     sw_scan_field_names[fi], name, l->brand);
        sw__ev_about(x, name, nl);
    }
    return true;
}

static void pai_brand(const struct field *fs, const struct sw_listing *l, bool names, struct out *o)
{
    if (pai_brand_at(&fs[SW_SF_TITLE], SW_SF_TITLE, 0, l, o) ||
        pai_brand_at(&fs[SW_SF_SHORT_TITLE], SW_SF_SHORT_TITLE, 0, l, o))
        return;
    const struct field *d = &fs[SW_SF_DETAIL];
    for (size_t i = 0; names && i < d->nhits; i++)
        if (sw__role(d, &d->hits[i]) == R_NAME_LABEL &&
            pai_brand_at(d, SW_SF_DETAIL, d->hits[i].to, l, o))
            return;
}

void sw__title_lead(const struct field *fs, const struct sw_listing *l, bool names, struct out *o)
{
    lead_of(fs, SW_SF_TITLE, l, o);
    if (!fs[0].sc->lead_markers.n || !fs[0].sc->brand.rule || !l->brand || !l->brand[0])
        return;
    pai_brand(fs, l, names, o);
    alike_lead(fs, SW_SF_TITLE, l, o);
    spelled_lead(fs, l, o);
    if (fs[SW_SF_SHORT_TITLE].n) {
        alike_lead(fs, SW_SF_SHORT_TITLE, l, o);
        short_lead(fs, l, o);
    }
}
