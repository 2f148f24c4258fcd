/* Internals shared by the matcher (scan.c), the diversion detectors (diversion.c) and the
 * findings (findings.c): one field's normalised text with its hits, and the findings being
 * collected for one listing.
 *
 * Cost rule (DESIGN.md "Content scanning"): every detector visits each byte of the text a
 * bounded number of times. A look-ahead or look-behind from a hit is either bounded by a
 * constant the rule needs (an id has at most 30 characters) or remembers how far an earlier
 * walk got, so that a run of hits ("wx1wx1...", ".com.com...") never walks the same span twice. */
#ifndef SW_SCAN_DETECT_H
#define SW_SCAN_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan/normalize.h"
#include "scan/scan_int.h"

struct hit {
    uint32_t pid;
    uint32_t from, to;
};

struct field {
    const struct sw_scanner *sc;
    const char *orig;
    size_t olen;
    char *norm;     /* into tls.norm: the fields lie one after another, 0xFF between */
    uint32_t *map;  /* into tls.map, same offsets */
    uint32_t start; /* offset of this field in tls.norm */
    size_t n;
    struct hit *hits; /* sorted by (to, longer first, pid) */
    size_t nhits, hcap;
    struct sw_runs runs; /* runs of digits, for phone numbers */
};

/* Evidence is at most this many bytes with its NUL: longer text is cut (as snprintf cuts). */
#define SW_EVIDENCE_CAP 256

/* A finding while the listing is scanned. Its evidence is either a span of the text, read when
 * the finding is rendered (a URL's findings all start at the domain: copying 255 bytes for
 * each would cost 64 MB for 1 MiB of ".com"), or a string in out.text. Neither is kept in the
 * finding itself: 256 bytes in each made a listing of 500,000 findings cost 1 GB. */
struct finding {
    const struct sw_rule *r;
    int field;         /* SW_SF_*, or -1 for a finding about a structured field or an image */
    bool own_ev;       /* ev is a block of SW_EVIDENCE_CAP bytes that merging may append to */
    const char *where; /* the field name when field < 0 */
    const char *alt;   /* the excerpt when field < 0 (borrowed, cut like evidence), or NULL */
    uint32_t s, e;     /* bytes of the original text */
    uint32_t seq;      /* order of creation: ties sort in it */
    const char *evp;   /* evidence: evp[0..evn) up to a NUL, cut to SW_EVIDENCE_CAP - 1 */
    uint32_t evn;
    uint32_t about; /* what the evidence names (sw__ev_about), 0 = not said */
    bool weak_ev;   /* the evidence names only a kind of contact (加微信), not the contact: a
                       finding merged with it that names one takes its place (one account in
                       the title and the detail is then one occurrence whatever leads to it) */
    size_t ev;      /* or, when evp is NULL: its offset in out.text; SIZE_MAX = "" */
};

struct out {
    struct finding *v;
    size_t n, cap;
    uint32_t seq; /* the next finding's seq */
    char *text;   /* evidence strings */
    size_t tn, tcap;
    bool oom;
    bool truncated; /* sw__render left findings out past the policy's max_findings */
};

/* A finding over original bytes [s, e) of field `field`; NULL when the policy left the rule out
 * or memory ran out (o->oom). The pointer is valid until the next sw__add. */
struct finding *sw__add(struct out *o, const struct sw_rule *r, int field, uint32_t s, uint32_t e);
/* Finding i again, now ending at e (>= its end) and created now: for a finding that another
 * finding of the same rule, start and field would merge into without a trace. */
struct finding *sw__renew(struct out *o, size_t i, uint32_t e);
/* A finding over normalised [from, to) of field fi, its span mapped to the original text. */
struct finding *sw__add_at(struct out *o, const struct sw_rule *r, const struct field *f, int fi,
                           uint32_t from, uint32_t to);
/* Sets x's evidence (x may be NULL: nothing happens), cut to SW_EVIDENCE_CAP - 1 bytes. */
void sw__evidence(struct out *o, struct finding *x, const char *fmt, ...) SW_PRINTF(3, 4);
/* Evidence: the normalised text of [from, to) ("yanxi88" for "yanxi-88"). */
void sw__ev_norm(struct finding *x, const struct field *f, uint32_t from, uint32_t to);
/* Evidence: the finding's own original text (URLs, e-mail addresses). */
void sw__ev_excerpt(struct finding *x, const struct field *f);
/* What x's evidence names (normalised text, e.g. a brand): merging another finding into x
 * does not append an evidence that names the same again (consistency.c: 品牌：兰蔻 is both a
 * brand label and the brand 兰蔻, one finding, said once). */
void sw__ev_about(struct finding *x, const char *s, size_t n);
/* Sorts, merges overlapping findings of one type in one field, renders them as JSON. */
json_t *sw__render(const struct sw_scanner *sc, const struct sw_listing *l, struct out *o);
void sw__out_free(struct out *o);

/* A hit of role r (of owner own when >= 0) that covers h's span (a strictly longer one when
 * `longer`). Reads only the hits that end within MAX_PHRASE bytes of h's start. */
bool sw__covered(const struct field *f, const struct hit *h, int r, int own, bool longer);
/* The same for owners of one group: the owner's bits in mask equal own (an attribute's names,
 * whatever their kind: owner & ~kind bits == attribute << kind bits). */
bool sw__covered_group(const struct field *f, const struct hit *h, int r, unsigned own,
                       unsigned mask, bool longer);
/* One of `words` ends at `pos`, or up to `gap` characters before it. */
bool sw__word_behind(const struct field *f, const struct sw_words *words, uint32_t pos, int gap);
/* The same, unless a word of `but` ends nearer to pos (偏远地区除外，其余地区运费5元: 其余 is
 * nearer than 偏远). */
bool sw__word_behind_unless(const struct field *f, const struct sw_words *words,
                            const struct sw_words *but, uint32_t pos, int gap);
/* One of `words` ends at pos or up to `reach` characters before it, none of them ending a
 * clause (kept punctuation other than 、, or the end of the previous field). */
bool sw__word_behind_in_clause(const struct field *f, const struct sw_words *words, uint32_t pos,
                               int reach);
/* The same, unless a word of `but` ends nearer or at the same place (送5ml, not 直送5斤). */
bool sw__word_behind_in_clause_unless(const struct field *f, const struct sw_words *words,
                                      const struct sw_words *but, uint32_t pos, int reach);
bool sw__word_ahead(const struct field *f, const struct sw_words *words, uint32_t pos);
/* The code points of the UTF-8 bytes s[0, n). */
json_int_t sw__cps(const char *s, uint32_t n);
/* A negation right before, or one character before ("不能治疗", "不可以治疗"). */
bool sw__negated(const struct field *f, uint32_t from);
/* A word of consistency.previous up to its reach before norm offset pos in its clause (原50g,
 * 原包邮, 之前是100g): what follows is what the listing was, not what it is. */
bool sw__previous(const struct field *f, uint32_t pos);
/* A word of consistency.previous.gone up to `reach` characters after norm offset `to` in its
 * sentence (大果12枚装已下架): the value before it is no longer sold. */
bool sw__gone(const struct field *f, uint32_t to, int reach);
/* gone after [from, to) or one of its words up to 2 characters before (取消价保服务). */
bool sw__withdrawn(const struct field *f, uint32_t from, uint32_t to);
/* A claim asked about (能祛痘吗？): 吗 or a question mark closes its clause. */
bool sw__asked(const struct field *f, uint32_t to);
/* One of `words` within `back` characters before `from` in its sentence, with no word of `but`
 * (NULL: none) nearer to `from` (新疆/西藏的亲：…补运费12元, but not
 * 偏远地区除外，其余地区运费5元). */
bool sw__word_before_unless(const struct field *f, const struct sw_words *words,
                            const struct sw_words *but, uint32_t from, int back);
/* One of `words` within `back` characters before `from` or `ahead` after `to`, in the sentence
 * (。！？, a new line or the field's end close it; commas do not). */
bool sw__word_in_sentence(const struct field *f, const struct sw_words *words, uint32_t from,
                          uint32_t to, int back, int ahead);
/* A word of words within `ahead` characters after norm offset to, before a comma or the
 * sentence's end (顺丰发货（偏远地区除外）; not 默认中通，偏远地区需补运费). */
bool sw__word_ahead_before_comma(const struct field *f, const struct sw_words *words, uint32_t to,
                                 int ahead);
/* An invitation off the platform inside an anti-fraud notice (谨防…凡是让你加微信的都是骗子): a
 * warning word this far before it or after it in its sentence. */
#define SW_WARN_BACK 12
#define SW_WARN_AHEAD 24
/* Whether a negation scope governs the claim starting at from (docs/scan.md "Negation"): a
 * scope word before it with only fillers, claims and phrase verbs between (不会以任何理由要求您
 * 添加微信). */
bool sw__in_negation_scope(const struct field *f, uint32_t from);

/* --- amounts of money as listings write them (money_read.c) --- */
struct sw_per_unit {
    const char *name;
    bool count; /* a count (罐) rather than a weight (斤) */
    bool order; /* N of it before a price is an order of several (拍2件到手), not the pieces sold */
};
extern const struct sw_per_unit sw__per_units[];
extern const size_t sw__nper_units;
/* The unit of sw__per_units whose name starts at s[k], or -1. */
int sw__per_unit_at(const unsigned char *s, size_t n, size_t k);
/* An ASCII or full-width digit at s[i]: its value and byte length, or -1. */
int sw__digit_at(const unsigned char *s, size_t n, size_t i, int *len);
/* A comma (or ，) at s[i] that separates thousands: three digits follow it, and no fourth. */
bool sw__thousands_comma(const unsigned char *s, size_t n, size_t i);
/* A currency sign (¥ or ￥) starting at t[i] / ending at t[i]: its byte length, else 0. */
size_t sw__sign_at(const char *t, size_t n, size_t i);
size_t sw__sign_before(const char *t, size_t i);
/* Digits at t[i] (spaces before skipped; thousands commas; two decimals at most) as fen, and
 * where they end; false when no digit is there. */
bool sw__money_at(const char *t, size_t n, size_t i, int64_t *fen, size_t *end);
/* The consistency detectors (consistency.c; specifications: specs.c): per field, then across
 * the fields. */
void sw__promises(const struct field *f, int fi, const struct sw_listing *l, struct out *o);
/* numerals.c: the value of the numeral character at s[i] (a digit 0-9, or a place: 10,
 * 100...), -1 when none; a numeral in characters at s[i] (五十九, 一千零五), its length in *len,
 * -1 when none. */
int sw__cn_char(const unsigned char *s, size_t n, size_t i);
int64_t sw__cn_numeral(const unsigned char *s, size_t n, size_t i, size_t *len);
/* The decimal written in f->orig from offset p to the digit at offset `last` (ASCII or
 * full-width digits; commas and spaces between groups skipped; the first other character is
 * the decimal point), in thousandths (decimals past three dropped). Optionally its whole part,
 * how many digits it has and how many of them are decimals. specs.c. */
int64_t sw__orig_milli(const struct field *f, uint32_t p, uint32_t last, int64_t *whole,
                       int *digits, int *decimals);
/* prices.c: an amount after a price label ([:：¥￥ ]*, fillers, digits, [. dd] [元|块]); with
 * per, a price per unit (88元/罐) sets *per to the unit (else -1); without, such an amount is
 * no amount. */
bool sw__read_amount(const struct field *f, uint32_t off, int64_t *fen, uint32_t *end, int *per);
/* An amount after a comma at orig offset off that is all of its clause (直播间福利价，一百九十八！,
 * 到手价，99元。): the price a label before the comma names, as said aloud. */
bool sw__read_spoken_amount(const struct field *f, uint32_t off, int64_t *fen, uint32_t *end);
bool sw__titles_name_yuan(const struct field *fs);
void sw__title_prices(const struct field *fs, const struct sw_listing *l, struct out *o,
                      unsigned *flags);
/* The word lists' words and phrases in field fi: claims, absolute terms, other platforms
 * (around.c); applies[list] says whether a list applies to the listing's category. */
void sw__lists(const struct field *f, int fi, const signed char *applies, struct out *o);
/* 折合¥2.5/包 (折合约, 折合16.5元/盒) in field fi: a price per unit worked out from the price,
 * times the pack the titles state, against the listing's price (prices.c). */
void sw__converted_prices(const struct field *fs, int fi, const struct sw_listing *l,
                          struct out *o);
/* Whether discounts the listing states with their amounts (领40元券, 满300减50, 定金50元抵100元)
 * add up to `diff` fen, the gap between the listing's price and a lower labelled price
 * (discounts.c). */
/* over[0..nover): what reference prices stand above the price by; a 直降 of one of those
 * amounts is already in the price and left out of the discounts once. */
bool sw__discounts_explain(const struct field *fs, int64_t diff, const int64_t *over, int nover);
void sw__prices(const struct field *fs, int fi, const struct sw_listing *l, struct out *o,
                unsigned *flags);
const struct sw_brand *sw__stated_brand(const struct field *fs, const struct sw_listing *l);
/* The listing's brand, normalised, into pb (512 bytes); "" when it has none. */
void sw__brand_of(const struct sw_listing *l, char *pb);
/* A structured field's value (brand, shipping_method) of at most SW_VALUE_MAX bytes normalised
 * as the text is, into out (SW_NORM_CAP(SW_VALUE_MAX) + 1 bytes, NUL-terminated); false (out
 * empty) when it is absent, longer or not UTF-8. */
#define SW_VALUE_MAX 256
bool sw__normalize_value(const char *value, char *out);
/* The groups (n word lists: carriers' names, origins' names) whose words the value contains
 * once normalised: a bit per group, the first 64. */
uint64_t sw__value_names(const char *value, const struct sw_words *groups, int n);
/* consistency.c: a label's value after orig offset v (past spaces and a colon): where it starts,
 * and in *ve where it ends (before a space, a dropped character or punctuation, 32 characters
 * at most). */
uint32_t sw__label_value(const struct field *f, uint32_t v, uint32_t *ve);
/* consistency.c: the listing's brand (normalised) and a name (normalised) agree: one holds the
 * other. */
bool sw__brand_is(const char *pb, const char *norm);
/* title_tag.c: a title that opens with a tag naming a brand (【水漾】小白瓶 精华) other than the
 * brand field's (or, with none, the detail's brand label's): a tag none of brand.title_tags'
 * generic words is in (【新品】, 【包邮】 are no brand). */
void sw__title_tag(const struct field *fs, const struct sw_listing *l, struct out *o);
/* A title that opens with a name (海岚 A5 ...) other than the brand field's, when the detail
 * marks it as the goods' brand (海岚原装, brand.lead_markers) or the manufacturer's name holds
 * it before a word of brand.maker_words (杭州衣念服饰有限公司; lead.c). */
/* names: the listing has a product name's label (R_NAME_LABEL) */
void sw__title_lead(const struct field *fs, const struct sw_listing *l, bool names, struct out *o);
/* Whether a known brand with the name has pb among its names (苹果 and Apple; house.c). */
bool sw__same_known(const struct sw_scanner *sc, const char *name, const char *pb);
/* consistency.attributes: the titles, the detail and shipping_method naming kinds of an
 * attribute that share none (attributes.c). */
void sw__attributes(const struct field *fs, const struct sw_listing *l, struct out *o);
void sw__short_attributes(const struct field *fs, const struct sw_listing *l, struct out *o);
/* consistency.facts: a production date, a shelf life, a manufacturer stated after a label,
 * against the field or each other (facts.c). */
void sw__facts(const struct field *fs, const struct sw_listing *l, struct out *o);
/* facts.c: past the spaces, colons and joining words (为, 是, 约, 】, ｜) between a label and its
 * value at t[i], at most four of them: where the value starts */
size_t sw__skip_joiners(const char *t, size_t n, size_t i);
/* sets.c: the count of a set (N件套) whose 件 starts at title byte jian, or -1 (*start: where
 * the count starts); the detail's list of the set's contents against it (a finding on title
 * bytes [s, e) of field tfi) */
int sw__set_in_title(const char *t, size_t n, uint32_t jian, uint32_t *start);
void sw__set_count(const struct field *fs, int count, uint32_t s, uint32_t e, int tfi,
                   struct out *o);
/* sets.c: a pack of N pieces in the titles (10只装, 两片装: title bytes [s, e) of field tfi)
 * against the count of the detail's contents list's item that the titles name (保鲜盒×8) */
void sw__pack_count(const struct field *fs, int count, uint32_t s, uint32_t e, int tfi,
                    struct out *o);
/* sets.c: what one order ships, said at t[i] (拍一发三: *bought 1, *sent 3, *end after it),
 * and the title's (bytes [s, e) of field tfi) against the detail's for as many bought
 * (拍1件发1支) */
bool sw__ships_at(const char *t, size_t n, size_t i, int *bought, int *sent, size_t *end);
void sw__ships(const struct field *fs, int tfi, int bought, int sent, uint32_t s, uint32_t e,
               struct out *o);
/* codes.c: the detail's shade code or model after its label (the label hits of kind 0, a shade,
 * or 1, a model, in the detail) against the titles' (consistency.facts), for a listing of their
 * categories */
struct sw_code_label {
    int kind;
    uint32_t from, to; /* normalised offsets in the detail */
};
void sw__codes(const struct field *fs, const struct sw_listing *l, const struct sw_code_label *c,
               int n, struct out *o);
/* least_order.c: a least order (50个起订, 起订量：100个) at a label hit h of field fi (original
 * bytes [s, e)) into v (1), or none (0: no number, a price band, a qualified one); and the
 * least orders of one unit that differ (a finding on the later one). */
struct sw_least {
    int64_t n;
    int fi, unit;
    uint32_t s, e; /* original bytes */
};
int sw__least_order_at(const struct field *f, int fi, const struct hit *h, uint32_t s, uint32_t e,
                       struct sw_least *v);
void sw__least_orders(const struct sw_least *v, int n, const struct sw_rule *r, struct out *o);
/* consistency.gifts: an item the title gives (送锅铲, 含充电器) that the detail denies or leaves
 * out of its list of gifts or contents (gifts.c). */
void sw__gifts(const struct field *fs, struct out *o);
/* A promise the detail withdraws (运费险已取消) against after_sales or a promise elsewhere. */
void sw__withdrawn_services(const struct field *fs, const struct sw_listing *l, struct out *o);
void sw__brands(const struct field *fs, int fi, const struct sw_listing *l, const char *pb,
                struct out *o);
/* A name before a word of brand.house (澜渟家的: hit h) that is not the listing's brand pb,
 * when pb is named nowhere in its texts (house.c). */
void sw__house_brand(const struct field *fs, int fi, const struct sw_listing *l, const char *pb,
                     const struct hit *h, struct out *o);
/* house.c: the title or the short title holds s (n bytes, normalised). */
bool sw__titles_hold(const struct field *fs, const char *s, size_t n);
/* house.c: a name right before a word of consistency.brand.authorised (柒叶官方授权, Kelo品牌授权)
 * other than the listing's brand, which the titles do not name: the goods said to be another
 * brand's. */
void sw__authorised_brand(const struct field *fs, int fi, const struct sw_listing *l,
                          const char *pb, const struct hit *h, struct out *o);
/* house.c: a name in quotes right before 品牌 at orig offset at of field fi (本店为“健源堂”品牌官方
 * 授权店) other than the listing's brand, which the titles do not name. */
void sw__quoted_brand(const struct field *fs, int fi, const struct sw_listing *l, const char *pb,
                      uint32_t at, struct out *o);
void sw__shipping(const struct field *fs, const struct sw_listing *l, struct out *o);
/* The detail states a phone's memory as a pair (8GB+128GB, 12+256): a spec without a label. */
bool sw__detail_states_memory(const struct field *d);
/* The detail names a unit of a self-stating class that applies to the category (1段 among
 * baby.formula): a spec without a label when it is the detail's only value of its class. */
bool sw__detail_self_states(const struct field *d, const char *category);
bool sw__detail_states_specs(const struct field *detail);
/* Where the value after a table's cell label ending at orig offset e starts: past spaces and
 * one bar or slash (｜ | / ／ or a tab); 0 when none is there (listed.c). */
uint32_t sw__after_bar(const struct field *f, uint32_t e);
/* A row of cells, each a label, a space and its value, the row's cells parted by bars (参数：品牌
 * 健骨坊｜规格 100片): where the value after the label ending at original offset e starts, or 0. */
uint32_t sw__after_space_in_row(const struct field *f, uint32_t e);
/* The titles name a unit of a class spec.listed counts (色 of 6色, 件套) and the detail has a
 * spec or attribute label, which every list label is or holds: the detail may list kinds to
 * count (listed.c). */
bool sw__may_list(const struct field *fs);
bool sw__short_title_in_title(const struct field *fs);
void sw__carriers(const struct field *fs, struct out *o);
void sw__carrier_method(const struct field *fs, const struct sw_listing *l, struct out *o);
/* lists: sw__may_list of the listing (the detail's lists of kinds are read then). */
void sw__specs(const struct field *fs, const char *category, bool lists, struct out *o);
/* Whether the title names a unit of another system or a bridged class (oz, 磅, 英寸): an amount
 * and its conversion may stand there (consistency.spec.conversions). */
bool sw__title_converts(const struct field *fs);
/* fibres.c: a fibre the titles call pure (纯棉) against the detail's composition (棉60%). */
void sw__fibres(const struct field *fs, const char *category, struct out *o);
/* An ingredient's percentage in the titles against the detail's (concentrations.c). */
void sw__concentrations(const struct field *fs, const char *category, struct out *o);
/* A container's pieces over the day's dose against the days the text says it lasts (doses.c). */
void sw__doses(const struct field *fs, const char *category, struct out *o);
/* Whether a fibre's name (of the fibres rule, in a category it applies to) ends right before
 * norm offset p of field f, a colon between at most: the number there is a fibre content (锦纶
 * 100%, 棉:60%), the fibres check's, no spec of the goods. */
bool sw__fibre_content_at(const struct field *f, const char *cat, uint32_t p);
/* sizes.c: the titles' garment sizes (M/L/XL, 均码) against the detail's (尺码：S/M, 只剩M、L). */
void sw__sizes(const struct field *fs, const char *category, struct out *o);
/* lengths.c: a garment's length in the titles (衣长110cm) against the same label's values in the
 * detail's size table (consistency.spec.sizes.lengths). */
void sw__lengths(const struct field *fs, const char *category, struct out *o);
void sw__service_denials(const struct field *fs, const struct sw_listing *l, struct out *o);

/* The diversion detectors over one field's hits (diversion.c). */
/* The first word of `w` in the field at or after normalised offset `from`: its end (norm), its
 * start in *start, or 0 when none. One memmem per word (the text is walked by the C library,
 * not compared at every position): for checks that look for a few words only where they
 * apply (sizes, origins), not through the pattern database. */
uint32_t sw__next_word(const struct field *f, const struct sw_words *w, uint32_t from,
                       uint32_t *start);
/* The same, for a word that ends by norm offset `to` (a word near a label: no search beyond). */
uint32_t sw__next_word_in(const struct field *f, const struct sw_words *w, uint32_t from,
                          uint32_t to, uint32_t *start);
/* Where the goods ship from (consistency.carrier.origins): the kinds the titles, the detail
 * and shipping_method name. */
void sw__origins(const struct field *fs, const struct sw_listing *l, struct out *o);
/* A hit of ASCII letters or digits that starts or ends inside a longer ASCII word (kao in
 * KakaoTalk). */
bool sw__ascii_inside(const struct field *f, const struct hit *h);
void sw__contacts(const struct field *f, int fi, struct out *o);
void sw__phones(const struct field *f, int fi, struct out *o);
void sw__links(const struct field *f, int fi, struct out *o);
/* QR codes in the listing's images (their declared pixels checked against the policy's
 * budgets first), one diversion.qr_code finding each. */
int sw__qr_codes(const struct sw_scanner *sc, const struct sw_listing *l, struct out *o,
                 struct sw_error *err);

/* At most this many bytes of a span go into a "%.*s": more could not reach the evidence
 * anyway, and formatting a long span for every one of many findings would not be linear. */
static inline int sw__ev_len(uint32_t n)
{
    return n < SW_EVIDENCE_CAP ? (int)n : SW_EVIDENCE_CAP;
}

/* The first hit ending at or after pos (hits are sorted by end: a binary search). */
static inline size_t sw__first_hit_ending(const struct field *f, uint32_t pos)
{
    size_t lo = 0, hi = f->nhits;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->hits[mid].to < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static inline int sw__role(const struct field *f, const struct hit *h)
{
    return f->sc->pat[h->pid].role;
}

static inline int sw__owner(const struct field *f, const struct hit *h)
{
    return f->sc->pat[h->pid].owner;
}

static inline bool sw__is_letter(char c)
{
    return c >= 'a' && c <= 'z';
}

static inline bool sw__is_alnum(char c)
{
    return sw__is_letter(c) || (c >= '0' && c <= '9');
}

static inline int sw__orig_char_len(const struct field *f, uint32_t off)
{
    int l = sw_utf8_len((const unsigned char *)f->orig + off, f->olen - off);
    return l ? l : 1;
}

/* The original byte span of normalised [from, to). */
static inline void sw__orig_span(const struct field *f, uint32_t from, uint32_t to, uint32_t *s,
                                 uint32_t *e)
{
    *s = f->map[from];
    uint32_t k = to - 1;
    while (k > from && ((unsigned char)f->norm[k] & 0xC0) == 0x80)
        k--;
    *e = f->map[k] + (uint32_t)sw__orig_char_len(f, f->map[k]);
}

/* A times sign ending at t[p] (500g×2, 60粒*2, 2x, ＊ in the original; × and * and x in the
 * normalised text): its length in bytes, 0 when none. */
static inline uint32_t sw__times_sign_before(const char *t, uint32_t p)
{
    return p >= 2 && memcmp(t + p - 2, "×", 2) == 0                            ? 2
           : p >= 3 && memcmp(t + p - 3, "＊", 3) == 0                         ? 3
           : p >= 1 && (t[p - 1] == '*' || t[p - 1] == 'x' || t[p - 1] == 'X') ? 1
                                                                               : 0;
}

/* A space at o[p] within n, ASCII or ideographic: its length in bytes, 0 when none. */
static inline uint32_t sw__space_at(const char *o, size_t n, size_t p)
{
    return p < n && o[p] == ' ' ? 1 : p + 3 <= n && memcmp(o + p, "　", 3) == 0 ? 3 : 0;
}

/* The code point at p[0..n) and its length in *len (0 when invalid). */
static inline uint32_t sw__cp_at(const char *p, size_t n, int *len)
{
    const unsigned char *s = (const unsigned char *)p;
    *len = sw_utf8_len(s, n);
    switch (*len) {
    case 1:
        return s[0];
    case 2:
        return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    case 3:
        return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    case 4:
        return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
               (s[3] & 0x3Fu);
    default:
        return 0;
    }
}

/* An ideograph of the CJK Unified Ideographs block (U+4E00..U+9FFF) starts at o[p], told by
 * its lead byte alone (E4..E9) with its three bytes within n: no decoding, for the loops that
 * look at every character. */
static inline bool sw__ideograph_at(const char *o, size_t n, size_t p)
{
    return p + 3 <= n && (unsigned char)o[p] >= 0xE4 && (unsigned char)o[p] <= 0xE9;
}

/* An ideograph of the CJK Unified Ideographs block starts p[0..n) (its three bytes): told from
 * the bytes, U+4E00 being E4 B8 80 and U+9FFF E9 BF BF, with no decoding. */
static inline bool sw__han_at(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    return n >= 3 && u[0] >= 0xE4 && u[0] <= 0xE9 && (u[1] & 0xC0) == 0x80 &&
           (u[2] & 0xC0) == 0x80 && (u[0] != 0xE4 || u[1] >= 0xB8);
}

/* The number the titles state right before `unit` (6罐装, 3斤), or 0 (prices.c). */
int64_t sw__titles_count(const struct field *fs, const char *unit);

/* price_words.c: what the words around an amount say of it (see there). The pack the titles
 * say the listing is (N of unit and 装, 2罐装, 两盒装), or 0. */
int sw__titles_pack(const struct field *fs, const char *unit);
/* The count unit of per_units whose name ends at norm offset p, or -1. */
int sw__count_unit_ending(const struct field *f, uint32_t p);
/* A tier of a quantity price right before norm offset from (50个起, 50盒以上; with cases also
 * 6盒整箱). */
bool sw__tier_before(const struct field *f, uint32_t from, bool cases);
/* The quantity of a count unit right before a label at norm offset from (2件¥99), its unit in
 * *unit; 0 when none. */
int sw__for_quantity_n(const struct field *f, uint32_t from, int *unit);
bool sw__joined_before(const struct field *f, uint32_t from);
/* Whether the amount starting at original offset s is of several of the goods (拍2件 ¥55,
 * 两箱一起拍 ¥189，共60袋; price: s starts a price, else a spec with a price before it). */
bool sw__bought_several(const struct field *f, uint32_t s, bool price);
/* A word of the totals (合计, 共计, 一共...) at original offset at: its length, or 0. */
size_t sw__total_at(const struct field *f, uint32_t at);
/* The count a total before (or, at a total label's start, right before it) orig offset s
 * totals (3件合计, 整箱24只合计), or 0. */
int64_t sw__count_total_before(const struct field *f, uint32_t s);
/* The per unit 每X or 单X (a count unit) right before norm offset q names, or -1. */
int sw__per_before(const struct field *f, uint32_t q);
/* 单罐 or 每罐 right before norm offset q (spaces and ':' skipped): its count unit, or -1. */
int sw__single_before(const struct field *f, uint32_t q);
/* The original text [s, end) of a label's amount says it in yuan (元, ¥, ￥; 块 when kuai). */
bool sw__in_yuan(const struct field *f, uint32_t s, uint32_t end, bool kuai);
/* Whether the amount whose label or figure starts at original offset s of field fi follows a
 * pre-sale's deposit or balance word (定金¥100, 尾款¥2,199): a part of the price (deposits.c),
 * not compared with it; when the deposit and the balance do not add up to the price, the
 * balance gets the finding here. */
int sw__deposit_part(const struct field *fs, int fi, const struct sw_listing *l, uint32_t s,
                     struct out *o);

#endif
