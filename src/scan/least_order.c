/* A least order stated twice (consistency.facts, `least_order`): a wholesaler's or a factory's
 * minimum order quantity, after its label (起订量：100个, MOQ: 500pcs) or before it (50个起订,
 * 10件起批), against another one of the same unit anywhere in the titles or the detail:
 * `50个起订` in the title against `起订量：100个` is a finding.
 *
 * A `qualifiers` word up to 10 characters before the label (混批, 单款, 定制, 印logo, 打样)
 * states the least order of some orders only (单款10件起批，混批30件起) and is passed, and so is
 * a label followed by 价 (10件起批价¥38: a price band, not the least order). Read in the
 * original text; units are the counts a least order is said in (件, 个, 套, 箱...). */
#include <stdlib.h>
#include <string.h>

#include "scan/detect.h"

static const char *const units[] = {"件", "个", "片", "只", "套", "箱", "盒", "包", "条",  "双",
                                    "台", "份", "张", "支", "瓶", "罐", "袋", "斤", "pcs", NULL};

/* The unit at o[i] (its index, its length in *len), or -1. */
static int unit_at(const char *o, size_t n, size_t i, size_t *len)
{
    for (int u = 0; units[u]; u++) {
        size_t l = strlen(units[u]);
        if (i + l <= n && memcmp(o + i, units[u], l) == 0) {
            *len = l;
            return u;
        }
    }
    return -1;
}

/* The unit that ends at o[end] (its index, its start in *start), or -1. */
static int unit_before(const char *o, size_t end, size_t *start)
{
    for (int u = 0; units[u]; u++) {
        size_t l = strlen(units[u]);
        if (end >= l && memcmp(o + end - l, units[u], l) == 0) {
            *start = end - l;
            return u;
        }
    }
    return -1;
}

/* After the label (起订量：100个): the number, then its unit (spaces between allowed). */
static bool after_label(const struct field *f, uint32_t e, struct sw_least *v)
{
    const char *o = f->orig;
    size_t n = f->olen, i = sw__skip_joiners(o, n, e), b = i;
    int64_t x = 0;
    while (i < n && i - b < 6 && o[i] >= '0' && o[i] <= '9')
        x = x * 10 + (o[i++] - '0');
    if (i == b || (i < n && (o[i] == '.' || (o[i] >= '0' && o[i] <= '9'))))
        return false;
    while (i < n && o[i] == ' ')
        i++;
    size_t l;
    int u = unit_at(o, n, i, &l);
    if (u < 0)
        return false;
    v->n = x;
    v->unit = u;
    v->s = (uint32_t)b;
    v->e = (uint32_t)(i + l);
    return true;
}

/* Before the label (50个起订, 10件起批): a unit right before it, the number right before that. */
static bool before_label(const struct field *f, uint32_t s, struct sw_least *v)
{
    const char *o = f->orig;
    size_t us;
    int u = unit_before(o, s, &us);
    if (u < 0)
        return false;
    size_t b = us;
    while (b > 0 && us - b < 6 && o[b - 1] >= '0' && o[b - 1] <= '9')
        b--;
    if (b == us || (b > 0 && o[b - 1] == '.'))
        return false;
    v->n = strtoll(o + b, NULL, 10);
    v->unit = u;
    v->s = (uint32_t)b;
    v->e = s;
    return true;
}

int sw__least_order_at(const struct field *f, int fi, const struct hit *h, uint32_t s, uint32_t e,
                       struct sw_least *v)
{
    const struct sw_facts *fa = &f->sc->facts;
    if (e + 3 <= f->olen && memcmp(f->orig + e, "价", 3) == 0)
        return 0; /* 10件起批价: a price band */
    if (sw__word_behind(f, &fa->least_qualifiers, h->from, 10))
        return 0; /* 混批30件起: some orders' */
    v->fi = fi;
    return after_label(f, e, v) || before_label(f, s, v);
}

void sw__least_orders(const struct sw_least *v, int n, const struct sw_rule *r, struct out *o)
{
    for (int j = 1; j < n; j++)
        for (int i = 0; i < j; i++) {
            if (v[i].unit != v[j].unit || v[i].n == v[j].n)
                continue;
            struct finding *x = sw__add(o, r, v[j].fi, v[j].s, v[j].e);
            sw__evidence(o, x, "states a least order of %lld%s; %s states %lld%s",
                         (long long)v[j].n, units[v[j].unit], sw_scan_field_names[v[i].fi],
                         (long long)v[i].n, units[v[i].unit]);
            return;
        }
}
