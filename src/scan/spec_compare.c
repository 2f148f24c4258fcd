/* Key-info consistency of specifications, the comparing half (specs.c reads the amounts): the
 * titles' amounts against the detail's labelled ones and the short title's, each of a unit
 * class, compared only with amounts of the same class; ranges, parts that add up, variants
 * next to each other and classes the detail states several of are no contradiction. */
#include <stdio.h>
#include <string.h>

#include "scan/specs_int.h"

/* Two amounts that may be compared: of one class, both of one piece or neither, both rates or
 * neither (3根/g is no dose, 每天2根). */
static bool alike(const struct amount *a, const struct amount *b)
{
    return a->cls == b->cls && a->per == b->per && a->rate == b->rate;
}

/* One amount said two ways: the same value, or a storage as the seller states it and as a
 * computer shows it (1TB of 10^12 bytes is 931GB of 2^30: 可用容量约931GB). */
static bool same_amount(const struct amount *a, const struct amount *b)
{
    if (a->v == b->v)
        return true;
    int64_t lo = a->v < b->v ? a->v : b->v, hi = a->v < b->v ? b->v : a->v;
    if (a->approx || b->approx) /* 16 oz and 454 g, 1.5 lb and 680 g */
        return lo > 0 && (double)lo * 1000.0 >= (double)hi * 970.0;
    const struct field *f = a->f ? a->f : b->f;
    if (!f || a->cls != f->sc->storage_class || f->sc->storage_class < 0)
        return false;
    /* 10^9 / 2^30 = 0.931 (0.909 against a TB counted as 1024GB) */
    /* in doubles: amounts as large as a listing can write (12 digits) overflow int64 x 1000 */
    return hi > 0 && (double)lo * 1000.0 >= (double)hi * 900.0 &&
           (double)lo * 1000.0 <= (double)hi * 940.0;
}

/* Two ranges that meet at one end only (单果75-80mm and 单果80-85mm, 30-40只 and 40-50只):
 * two grades next to each other, not one said twice. */
static bool ranges_meet(const struct amount *a, const struct amount *b)
{
    return a->ranged && b->ranged && a->lo < a->hi && b->lo < b->hi &&
           (a->hi == b->lo || b->hi == a->lo);
}

static bool stated(const struct amounts *as, const struct amount *a)
{
    for (int i = 0; i < as->n; i++)
        if (alike(&as->a[i], a) && same_amount(&as->a[i], a) && !ranges_meet(&as->a[i], a) &&
            as->a[i].gross * a->gross >= 0) /* 毛重5斤 does not state 净重5斤, nor the reverse */
            return true;
    return false;
}

/* x is said of each container the count c counts: 每袋185g, 185g/袋, 8枚 × 50g (c: 8袋, its
 * unit's last character the container). */
static bool each_of(const struct amount *x, const struct amount *c)
{
    if (!c->f || c->e < 3 || !x->f || (unsigned char)c->f->orig[c->e - 3] < 0xE0)
        return false;
    char each[7] = "每", slash[5] = "/";
    memcpy(each + 3, c->f->orig + c->e - 3, 3);
    memcpy(slash + 1, c->f->orig + c->e - 3, 3);
    const char *o = x->f->orig;
    uint32_t lo = x->s > 9 ? x->s - 9 : 0;
    if (memmem(o + lo, x->s - lo, each, 6))
        return true;
    /* 8枚 × 50g: the count of the same containers, then a times sign, then x */
    uint32_t p = x->s;
    while (p > 0 && o[p - 1] == ' ')
        p--;
    uint32_t sign = sw__times_sign_before(o, p);
    if (sign) {
        p -= sign;
        while (p > 0 && o[p - 1] == ' ')
            p--;
        if (p >= 4 && memcmp(o + p - 3, each + 3, 3) == 0 && o[p - 4] >= '0' && o[p - 4] <= '9')
            return true;
    }
    return x->e + 4 <= x->f->olen && memcmp(o + x->e, slash, 4) == 0;
}

/* x is one container's share of the titles' whole: the titles state a measure of x's class
 * (1480g) and a count of two or more of something else (8袋装), and the measure over the count
 * is x within a thousandth (每袋185g): each bag, not another weight. */
static bool share_of_titles(const struct amounts *t, const struct amount *x)
{
    const struct sw_scanner *sc = x->f ? x->f->sc : NULL;
    if (!sc || !sw__is_measure(sc, x->cls) || x->v <= 0)
        return false;
    for (int i = 0; i < t->n; i++) {
        const struct amount *w = &t->a[i];
        bool piece = false; /* 500g of 500g×2袋 is one bag's, no whole */
        for (int k = 0; k < t->n && !piece; k++)
            piece = t->a[k].product && t->a[k].f == w->f && t->a[k].s == w->s && !w->product;
        if (!alike(w, x) || w->ranged || w->v <= x->v || piece)
            continue;
        for (int k = 0; k < t->n; k++) {
            const struct amount *c = &t->a[k];
            if (c->cls < 0 || c->cls >= 64 || sw__is_measure(sc, c->cls) || c->per || c->ranged ||
                c->v < 2000 || c->v % 1000 != 0)
                continue;
            int64_t share = w->v * 1000 / c->v, d = share - x->v;
            if ((d < 0 ? -d : d) * 1000 <= x->v && each_of(x, c))
                return true;
        }
    }
    return false;
}

/* Bytes between two labelled amounts of one list of variants (规格：3L/4L, 毛重5斤 净重4.3斤). */
#define VARIANTS_GAP 24

/* Bytes a list of variants with their prices may hold between two of them (规格：3斤装 ¥19.9 /
 * 5斤装 ¥29.9 / 15斤装 ¥79.9). */
#define VARIANTS_LIST 160

/* The lines of original offsets lo and hi (one line apart) open with the same two characters
 * and a third that differs (规格一： / 规格二：, A款： / B款：): one variant a line. */
static bool parallel_lines(const struct field *f, uint32_t lo, uint32_t hi)
{
    const char *o = f->orig;
    uint32_t a = lo, b = hi;
    while (a > 0 && o[a - 1] != '\n')
        a--;
    while (b > 0 && o[b - 1] != '\n')
        b--;
    return b > a && b + 9 <= f->olen && a + 9 <= f->olen && memcmp(o + a, o + b, 6) == 0 &&
           memcmp(o + a + 6, o + b + 6, 3) != 0 && (unsigned char)o[a] >= 0x80;
}

/* x and y of one field in one list of variants: a slash (or 、) between them, and no end of a
 * sentence (a table's ｜ parts cells, not variants). */
static bool variants_between(const struct amount *x, const struct amount *y)
{
    if (x->f != y->f || !x->f)
        return false;
    uint32_t lo = x->e <= y->s ? x->e : y->e, hi = x->e <= y->s ? y->s : x->s;
    if (hi <= lo || hi - lo > VARIANTS_LIST)
        return false;
    const char *o = x->f->orig + lo;
    size_t n = hi - lo;
    static const char *const ends[] = {"。", "！", "？"};
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++)
        if (memmem(o, n, ends[k], strlen(ends[k])))
            return false;
    const char *nl = memchr(o, '\n', n);
    if (nl)
        return !memchr(nl + 1, '\n', (size_t)(o + n - nl - 1)) && parallel_lines(x->f, lo, hi);
    return memchr(o, '/', n) || memmem(o, n, "／", 3) || memmem(o, n, "、", 3);
}

#define TOTAL_GAP 240 /* bytes from a list to the total after or before it */

static bool joined(const struct amount *a, const struct amount *b, bool comma);
static bool plus_between(const struct amount *a, const struct amount *b)
{
    return joined(a, b, false);
}

/* x is joined to another amount of its class by a plus or a list mark (a list's item). */
static bool list_item(const struct amounts *as, const struct amount *x)
{
    for (int i = 0; i < as->n; i++) {
        const struct amount *y = &as->a[i];
        if (y != x && y->cls == x->cls && (plus_between(x, y) || plus_between(y, x)))
            return true;
    }
    return false;
}

/* Whether the detail labels a (a title's amount) too, next to x: x is then one more variant or
 * another measure of the same list. Far from x (一盒30条 ... 每盒20条装), the detail says two
 * things, and x is a finding. */
static bool stated_labelled(const struct amounts *as, const struct amount *a,
                            const struct amount *x, bool base)
{
    for (int i = 0; i < as->n; i++) {
        const struct amount *y = &as->a[i];
        if (base && y->product)
            continue; /* 250g/袋，2袋 does not state the 500g of 500g×2袋 */
        uint32_t gap = y->e <= x->s ? x->s - y->e : y->s >= x->e ? y->s - x->e : 0;
        /* 毛重2kg does not state a title's 净重2kg */
        /* a total (总重4kg) states the whole of a list x is in (礼盒内含：车厘子1kg、金果1.5kg...),
         * not of an amount alone (共30袋 ... 一盒20袋 says two things) */
        if (y->labelled && alike(y, a) && y->v == a->v &&
            (gap <= VARIANTS_GAP || variants_between(x, y) ||
             (y->total && gap <= TOTAL_GAP && list_item(as, x))) &&
            !(a->gross < 0 && y->gross > 0))
            return true;
    }
    return false;
}

/* Whether a is the amount of one of the titles' products (the 500g of 500g×2袋). */
static bool base_of_product(const struct amounts *t, const struct amount *a)
{
    for (int i = 0; i < t->n; i++)
        if (t->a[i].product && t->a[i].f == a->f && t->a[i].s == a->s)
            return true;
    return false;
}

/* Whether a plus joins two amounts of the field: between the end of a and the start of b (b
 * after a, at most 40 bytes apart) stands '+' or '＋', or the list mark 、 (公蟹 4两×4只、母蟹
 * 3两×4只: parts only when they add up to what the titles state, see parts_of); with comma, a
 * comma too. */
static bool joined(const struct amount *a, const struct amount *b, bool comma)
{
    if (b->s <= a->e || b->s - a->e > 40)
        return false;
    const char *o = a->f->orig;
    for (uint32_t p = a->e; p < b->s; p++)
        if (o[p] == '+' || (comma && o[p] == ',') ||
            (p + 3 <= b->s && (memcmp(o + p, "＋", 3) == 0 || memcmp(o + p, "、", 3) == 0 ||
                               (comma && memcmp(o + p, "，", 3) == 0))))
            return true;
    return false;
}

/* The detail states a total of x's class (共8只, 合计1.5kg) that is an amount the titles state:
 * the amounts a comma parts before it may be that total's parts (公蟹4.0两×4只，母蟹3.0两×4只，
 * 共8只). */
static bool totalled(const struct amounts *l, const struct amounts *t, const struct amount *x)
{
    for (int i = 0; i < l->n; i++) {
        const struct amount *z = &l->a[i];
        if (!z->total || !alike(z, x) || z->s < x->e || z->s - x->e > TOTAL_GAP)
            continue;
        for (int k = 0; k < t->n; k++)
            if (alike(&t->a[k], x) && !t->a[k].product && t->a[k].v == z->v)
                return true;
    }
    return false;
}

/* No amount of x's class stands between a and b (in either order): a plus joins neighbours
 * only (公蟹4只 + 母蟹4只 合计8只: the total is no third part). */
static bool next_to(const struct amounts *l, const struct amount *x, const struct amount *a,
                    const struct amount *b)
{
    uint32_t lo = a->s < b->s ? a->e : b->e, hi = a->s < b->s ? b->s : a->s;
    for (int i = 0; i < l->n; i++) {
        const struct amount *z = &l->a[i];
        if (!z->product && alike(z, x) && z->s >= lo && z->e <= hi)
            return false;
    }
    return true;
}

/* x and the amounts of its class joined to it by pluses add up to an amount the titles state
 * (虾饺 600g + 烧卖 600g against 1.2kg, 公蟹4只 + 母蟹4只 against 8只): x is a part of the
 * whole. */
static bool parts_of(const struct amounts *l, const struct amounts *t, const struct amount *x)
{
    const struct amount *chain[SPEC_MAX];
    int n = 0;
    bool comma = totalled(l, t, x);
    chain[n++] = x;
    for (bool grew = true; grew && n < SPEC_MAX;) { /* the parts before and after, one by one */
        grew = false;
        for (int i = 0; i < l->n && n < SPEC_MAX; i++) {
            const struct amount *y = &l->a[i];
            /* a part need not be labelled itself: the plus joins it to the labelled list
             * (规格：公蟹4.0两 × 4只 + 母蟹3.0两 × 4只, the label far before the second) */
            if (y->product || y->total || !alike(y, x))
                continue;
            bool in = false;
            for (int k = 0; k < n && !in; k++)
                in = chain[k]->s == y->s;
            if (in)
                continue;
            for (int k = 0; k < n; k++)
                if (next_to(l, x, chain[k], y) &&
                    (joined(chain[k], y, comma) || joined(y, chain[k], comma))) {
                    chain[n++] = y;
                    grew = true;
                    break;
                }
        }
    }
    if (n < 2)
        return false;
    int64_t sum = 0;
    for (int k = 0; k < n; k++)
        if (__builtin_add_overflow(sum, chain[k]->v, &sum))
            return false;
    for (int k = 0; k < t->n; k++)
        if (alike(&t->a[k], x) && !t->a[k].product && t->a[k].v == sum)
            return true;
    return false;
}

/* x is an end of a range (约35-45头) the titles' amount of its class lies in (约40头). */
static bool in_range(const struct amounts *t, const struct amount *x)
{
    for (int k = 0; k < t->n; k++) {
        const struct amount *a = &t->a[k];
        if (!alike(a, x) || ranges_meet(a, x))
            continue;
        if (x->ranged && a->v >= x->lo && a->v <= x->hi)
            return true;
        if (a->ranged && x->v >= a->lo && x->v <= a->hi)
            return true; /* 单果约220g within the titles' 单果200-250g */
    }
    return false;
}

/* x is of a class the detail states several of (`several`: a charger's input 18W and outputs
 * 20W, 65W) and the detail states the titles' amount of that class too (all: every amount of
 * the detail, read once when first needed): x is another of them. */
static bool one_of_several(const struct field *d, const struct reads *rd, struct amounts *all,
                           const struct amounts *t, const struct amount *x)
{
    if (x->cls < 0 || x->cls >= 64 || !(d->sc->several >> x->cls & 1))
        return false;
    if (all->n < 0) {
        all->n = 0;
        sw__amounts_of(d, rd, true, all);
    }
    for (int k = 0; k < t->n; k++)
        for (int i = 0; alike(&t->a[k], x) && i < all->n; i++)
            if (alike(&all->a[i], x) && same_amount(&all->a[i], &t->a[k]))
                return true;
    return false;
}

/* Whether the detail may state a spec at all: a spec label, or an amount right before 装 (a
 * pack size). A look at its hits, so that listings with amounts only in their titles (most)
 * pay for no spec tables. */
bool sw__detail_states_memory(const struct field *d)
{
    return sw__next_memory_plus(d, 0) < d->n;
}

bool sw__detail_states_specs(const struct field *d)
{
    for (size_t i = 0; i < d->nhits; i++)
        if (sw__role(d, &d->hits[i]) == R_SPEC_LABEL || sw__role(d, &d->hits[i]) == R_PACK)
            return true;
    return false;
}

/* The short title is a part of the title (cut from it): it states nothing the title does not. */
bool sw__short_title_in_title(const struct field *fs)
{
    const struct field *t = &fs[SW_SF_TITLE], *s = &fs[SW_SF_SHORT_TITLE];
    return s->n == 0 || (s->n <= t->n && memmem(t->norm, t->n, s->norm, s->n) != NULL);
}

/* The title and the short title each state amounts of a class and none in common (title 400ml,
 * short title 750ml): the short title's is a finding. */
static void titles_disagree(const struct field *fs, const struct amounts *t,
                            const struct amounts *st, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    for (int i = 0; i < st->n; i++) {
        const struct amount *x = &st->a[i];
        if (x->product || stated(t, x))
            continue;
        const struct amount *other = NULL;
        bool shared = false;
        for (int k = 0; k < t->n; k++) {
            if (!alike(&t->a[k], x))
                continue;
            if (stated(st, &t->a[k]))
                shared = true;
            else if (!t->a[k].product && !other)
                other = &t->a[k];
        }
        if (!other || shared)
            continue;
        struct finding *y = sw__add(o, &sc->spec, SW_SF_SHORT_TITLE, x->s, x->e);
        if (y)
            sw__evidence(o, y, "the short title says %.*s; the title says %.*s",
                         sw__ev_len(x->e - x->s), fs[SW_SF_SHORT_TITLE].orig + x->s,
                         sw__ev_len(other->e - other->s), fs[SW_SF_TITLE].orig + other->s);
        return; /* one finding for the short title */
    }
}

/* A word of `one_piece` that no digit runs into (1个装, not 21个装). */
static bool names_one_piece(const struct field *f, const struct sw_words *w)
{
    uint32_t s, e = 0;
    while ((e = sw__next_word(f, w, e, &s)) != 0)
        if (s == 0 || f->norm[s - 1] < '0' || f->norm[s - 1] > '9')
            return true;
    return false;
}

/* The titles sell one piece (整只, 1个装: `one_piece`) and state no count of more: their
 * weights, volumes and lengths are that piece's too, compared with the detail's amounts of one
 * piece (整只2.0-2.4斤 against 单只3.0-3.4斤; not 整只 4只装). */
static void one_piece(const struct field *fs, struct amounts *t)
{
    const struct sw_scanner *sc = fs[0].sc;
    if (!sc->spec_one_piece.n || !(names_one_piece(&fs[SW_SF_TITLE], &sc->spec_one_piece) ||
                                   names_one_piece(&fs[SW_SF_SHORT_TITLE], &sc->spec_one_piece)))
        return;
    for (int i = 0; i < t->n; i++)
        if (t->a[i].cls >= 0 && t->a[i].cls < 64 && !sw__is_measure(sc, t->a[i].cls) &&
            t->a[i].v != 1000)
            return; /* 4只, 2件: more than one */
    for (int i = 0, n = t->n; i < n; i++) {
        const struct amount *a = &t->a[i];
        if (!a->rate && !a->product && sw__is_measure(sc, a->cls)) {
            struct amount x = *a;
            x.per = !a->per; /* 整颗 一颗4-5斤: the piece's weight is the whole's too */
            sw__push_amount(t, x);
        }
    }
}

/* The titles and the detail each state an amount times a count, the same amount and other
 * counts, and neither states the other's whole (200g×5 against 规格：200g×4袋): the detail's is
 * a finding. A list of variants that states the titles' too (200g×4袋 / 200g×5袋) agrees. */
/* Whether another count multiplies a product (10g×15包×2盒: the 10g×15 is one box's). */
static bool times_again(const struct amount *x)
{
    const char *o = x->f->orig;
    uint32_t p = x->te, n = (uint32_t)x->f->olen;
    for (int k = 0; k < 2 && sw__ideograph_at(o, n, p); k++)
        p += 3; /* a unit of up to two ideographs (包, 小袋; not ＊, EF BC 8A) */
    while (p < n && o[p] == ' ')
        p++;
    return p < n && (o[p] == '*' || o[p] == 'x' || o[p] == 'X' ||
                     (p + 2 <= n && memcmp(o + p, "×", 2) == 0) ||
                     (p + 3 <= n && (memcmp(o + p, "＊", 3) == 0 || memcmp(o + p, "✕", 3) == 0)));
}

static void times_disagree(const struct field *fs, const struct amounts *t, const struct amounts *l,
                           struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    for (int i = 0; i < l->n; i++) {
        const struct amount *x = &l->a[i];
        if (!x->times || !x->labelled || stated(t, x) || times_again(x))
            continue;
        for (int k = 0; k < t->n; k++) {
            const struct amount *a = &t->a[k];
            if (!a->times || a->times == x->times || !alike(a, x) || stated(l, a) ||
                times_again(a) || a->v / a->times != x->v / x->times)
                continue;
            struct finding *y = sw__add(o, &sc->spec, SW_SF_DETAIL, x->s, x->te);
            if (y)
                sw__evidence(o, y, "the detail says %.*s; the %s says %.*s",
                             sw__ev_len(x->te - x->s), fs[SW_SF_DETAIL].orig + x->s,
                             a->f == &fs[SW_SF_TITLE] ? "title" : "short title",
                             sw__ev_len(a->te - a->s), a->f->orig + a->s);
            return; /* one finding */
        }
    }
}

#define CONVERSION_GAP 12 /* bytes between an amount and its conversion: `（约` */

/* Only what stands between an amount and its conversion: spaces, brackets, a slash, 约, ≈, =. */
static bool conversion_joint(const struct field *f, uint32_t s, uint32_t e)
{
    static const char *const joints[] = {" ", "(",  "（", "/", "／", "=",
                                         "≈", "约", "合", "~", "～", NULL};
    while (s < e) {
        size_t l = 0;
        for (int i = 0; joints[i] && !l; i++)
            if (s + strlen(joints[i]) <= e &&
                memcmp(f->orig + s, joints[i], strlen(joints[i])) == 0)
                l = strlen(joints[i]);
        if (!l)
            return false;
        s += (uint32_t)l;
    }
    return true;
}

/* More apart than this is two different things side by side, not a wrong conversion. */
#define CONVERSION_SPREAD 2.5

/* A slash right before orig s or right after e: the pair is part of a list of variants
 * (30ml/100ml 1oz/3.4oz pairs 100ml with 1oz). */
static bool in_list(const struct field *f, uint32_t s, uint32_t e)
{
    const char *o = f->orig;
    while (s > 0 && o[s - 1] == ' ')
        s--;
    while (e < f->olen && o[e] == ' ')
        e++;
    return (s > 0 && o[s - 1] == '/') || (s >= 3 && memcmp(o + s - 3, "／", 3) == 0) ||
           (e < f->olen && o[e] == '/') || (e + 3 <= f->olen && memcmp(o + e, "／", 3) == 0);
}

/* A conversion said as one between s and e: a bracket, a slash, =, ≈, 约 or 合 (not a space
 * alone: 6.7英寸 8.25mm are two measures). */
static bool explicit_joint(const struct field *f, uint32_t s, uint32_t e)
{
    static const char *const marks[] = {"(", "（", "/", "／", "=", "≈", "约", "合", NULL};
    for (int i = 0; marks[i]; i++)
        if (memmem(f->orig + s, e - s, marks[i], strlen(marks[i])))
            return true;
    return false;
}

/* x's value in class `to` through a bridge (6.7英寸 in mm), or -1 when none carries it. */
static double bridged(const struct sw_conversions *cv, const struct amount *x, int to)
{
    if (x->cls == to)
        return (double)x->v;
    for (int i = 0; i < cv->nbridges; i++) {
        const struct sw_bridge *br = &cv->bridges[i];
        if (br->from == x->cls && br->to == to && (x->approx || !br->converted_only))
            return (double)x->v * br->factor;
    }
    return -1;
}

/* Two values of one class within the conversions' tolerance. */
static bool within(const struct sw_conversions *cv, double va, double vb)
{
    double lo = va < vb ? va : vb, hi = va < vb ? vb : va;
    return lo * 100.0 >= hi * (100.0 - cv->tolerance);
}

/* A bare 寸 (6寸花盆: not 英寸) is an inch or the Chinese cun, 33.3 mm (6寸 约20cm). */
#define CUN_IN_INCHES (100.0 / 3.0 / 25.4)
static bool bare_cun(const struct amount *x)
{
    return x->e >= x->s + 3 && memcmp(x->f->orig + x->e - 3, "寸", 3) == 0 &&
           !(x->e >= x->s + 6 && memcmp(x->f->orig + x->e - 6, "英", 3) == 0);
}

/* An amount and its conversion side by side in one field (30ml 1.7oz, 2.5磅 约2kg, 6.7英寸（约
 * 15.5厘米）, 20.7oz（587g）): one of another system of units, or carried over a bridge, both
 * plain amounts; their values more than `tolerance` percent apart is a finding on the second
 * (230ml/7.7oz agrees: 7.7 fl oz is 228 ml). */
static void conversions(const struct field *fs, const struct amounts *as, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    const struct sw_conversions *cv = &sc->conversions;
    for (int i = 0; cv->tolerance && i < as->n; i++)
        for (int j = 0; j < as->n; j++) {
            const struct amount *a = &as->a[i], *b = &as->a[j];
            if (a->f != b->f || b->s < a->e || b->s - a->e > CONVERSION_GAP || a->product ||
                b->product || a->ranged || b->ranged || a->per != b->per ||
                !conversion_joint(a->f, a->e, b->s) || in_list(a->f, a->s, b->e))
                continue;
            const struct amount *carried = a;
            double va = bridged(cv, a, b->cls), vb = va < 0 ? -1 : (double)b->v;
            if (va < 0) { /* the first carried into the second's class, or the other way */
                carried = b;
                vb = bridged(cv, b, a->cls);
                va = (double)a->v;
            }
            bool bridge = a->cls != b->cls;
            if (vb < 0 || (!bridge && a->approx == b->approx) || va <= 0 || vb <= 0 ||
                (bridge && !a->approx && !b->approx && !explicit_joint(a->f, a->e, b->s)))
                continue; /* 6.7英寸 8.25mm: a screen and a thickness, no conversion */
            double lo = va < vb ? va : vb, hi = va < vb ? vb : va;
            if (within(cv, va, vb) || hi > lo * CONVERSION_SPREAD)
                continue; /* agreeing, or two different things (not a conversion gone wrong) */
            if (bridge && bare_cun(carried) &&
                within(cv, carried == a ? va * CUN_IN_INCHES : va,
                       carried == b ? vb * CUN_IN_INCHES : vb))
                continue; /* 6寸（约20cm）: the cun */
            struct finding *y = sw__add(o, &sc->spec, (int)(a->f - fs), a->s, b->e);
            if (y)
                sw__evidence(o, y, "%.*s is not %.*s", sw__ev_len(a->e - a->s), a->f->orig + a->s,
                             sw__ev_len(b->e - b->s), b->f->orig + b->s);
            return; /* one finding */
        }
}

/* Whether field f names a unit of another system or a bridged class (a R_CONV_UNIT hit). */
static bool converts(const struct field *f)
{
    for (size_t i = 0; f->sc->conversions.tolerance && i < f->nhits; i++)
        if (sw__role(f, &f->hits[i]) == R_CONV_UNIT)
            return true;
    return false;
}

bool sw__title_converts(const struct field *fs)
{
    return converts(&fs[SW_SF_TITLE]);
}

/* The titles state a spec (2kg, 256GB) the detail does not state as a spec (next to a label:
 * running text such as 3L电饭煲 does not), and a labelled spec of the same class in the detail
 * (净重1kg, 128GB机身存储, 参数：容量 4L) is not one the titles state: each such labelled amount
 * of the detail is a finding. A title's amount the detail labels too (规格：3L/4L, 毛重5斤 净重
 * 4.3斤) leaves the others as variants or another measure. The title and the short title are
 * compared too. */
void sw__specs(const struct field *fs, const char *cat, bool lists_maybe, struct out *o)
{
    const struct sw_scanner *sc = fs[0].sc;
    if (!sc->nunits || !sc->spec.rule || !sc->spec.rule[0])
        return;
    struct reads rd = {0, false, 0, cat}; /* nunits <= 64 */
    for (int u = 0; u < sc->nunits; u++)
        if (!sc->units[u].cs.all && !sw__catset_match(&sc->units[u].cs, cat))
            rd.skip |= (uint64_t)1 << u;
    rd.self_off = sw__self_off(sc, cat);
    rd.memory = sc->ram_class >= 0 && sc->ram_class != sc->storage_class &&
                (sc->memory_cs.all || sw__catset_match(&sc->memory_cs, cat));
    struct amounts tv, *t = &tv, stv;
    t->n = stv.n = 0;
    const struct field *f = &fs[SW_SF_DETAIL];
    bool detail = sw__detail_states_specs(f) || (rd.memory && sw__next_memory_plus(f, 0) < f->n) ||
                  sw__names_self_stating(f, rd.skip, rd.self_off);
    if (!sw__short_title_in_title(fs))
        sw__amounts_of(&fs[SW_SF_SHORT_TITLE], &rd, false, &stv);
    if (!detail && !stv.n && !lists_maybe) { /* nothing to compare the title's amounts with */
        if (sw__title_converts(fs)) {
            sw__amounts_of(&fs[SW_SF_TITLE], &rd, false, t); /* but themselves: 30ml 1.7oz */
            conversions(fs, t, o);
        }
        return;
    }
    sw__amounts_of(&fs[SW_SF_TITLE], &rd, false, t);
    struct amount listed[SW_LISTED_MAX];
    int nlisted = lists_maybe ? sw__listed_amounts(f, t, listed) : 0;
    bool lists = nlisted > 0;
    if (!detail && !stv.n && !lists)
        return;
    if (stv.n) {
        titles_disagree(fs, t, &stv, o);
        for (int i = 0; i < stv.n; i++)
            sw__push_amount(t, stv.a[i]);
    }
    conversions(fs, t, o);
    struct amounts lv, *l = &lv, all = {.n = -1};
    l->n = 0;
    if (!t->n || (!detail && !lists)) {
        if (detail && !t->n && converts(f)) { /* 净含量：30ml/1.7oz, no amount in the title */
            sw__labelled_amounts(f, &rd, l);
            conversions(fs, l, o);
        }
        return;
    }
    one_piece(fs, t);
    if (detail) {
        sw__labelled_amounts(f, &rd, l);
        sw__named_amounts(fs, &rd, t, l);
    }
    conversions(fs, l, o);
    for (int i = 0; i < nlisted; i++)
        sw__push_amount(l, listed[i]); /* 颜色分类：黑 / 白 against 3色 */
    for (int i = 0; i < l->n; i++) {
        const struct amount *x = &l->a[i];
        if (!x->labelled || x->product || stated(t, x) || parts_of(l, t, x) || in_range(t, x) ||
            one_of_several(f, &rd, &all, t, x) || share_of_titles(t, x))
            continue;
        /* a total (共计96片) is no variant of a list when the titles state their own total
         * (38片×2包): it is compared with the amounts next to it too */
        bool totals = false;
        for (int k = 0; k < t->n && x->total; k++)
            totals |= alike(&t->a[k], x) && t->a[k].product;
        const struct amount *other = NULL;
        for (int k = 0; k < t->n && !other; k++)
            if (alike(&t->a[k], x) && !t->a[k].product &&
                (totals || !stated_labelled(l, &t->a[k], x, base_of_product(t, &t->a[k]))) &&
                !(t->a[k].atleast && (x->ranged ? x->lo : x->v) >= t->a[k].v) &&
                !(t->a[k].gross > 0 && x->gross <= 0))
                other = &t->a[k]; /* 单果200g+ and 单果220-250g agree; 带箱5斤 and 净果4.5斤 */
        if (!other)
            continue;
        struct finding *y = sw__add(o, &sc->spec, SW_SF_DETAIL, x->s, x->e);
        /* 净重2kg against 毛重2kg: the same number, said with and without the packing */
        bool packing = x->gross * other->gross < 0;
        if (y)
            sw__evidence(o, y, "the detail says %.*s%s; the %s says %.*s%s",
                         sw__ev_len(x->e - x->s), f->orig + x->s,
                         !packing       ? ""
                         : x->gross > 0 ? " with its packing"
                                        : " without packing",
                         other->f == &fs[SW_SF_TITLE] ? "title" : "short title",
                         sw__ev_len(other->e - other->s), other->f->orig + other->s,
                         !packing           ? ""
                         : other->gross > 0 ? " with its packing"
                                            : " without packing");
    }
    times_disagree(fs, t, l, o);
}
