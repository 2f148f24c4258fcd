/* How the catalog shows its objects: a product as JSON (or as text with its stored doc
 * spliced in), a store with its holds by name. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/money.h"
#include "domain/catalog/catalog_int.h"

json_t *sw__catalog_render_product(const struct sw_product_row *p)
{
    char price[24];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(p->id));
    json_object_set_new(o, "merchant", json_string(p->merchant));
    json_object_set_new(o, "status", json_string(p->status));
    json_object_update(o, p->doc);
    json_object_set_new(o, "price_fen", json_integer(p->price_fen));
    json_object_set_new(o, "price", json_string(sw_money_format(p->price_fen, price)));
    json_object_set_new(o, "stock", json_integer(p->stock));
    json_object_set_new(o, "tags", sw_catalog_tags_json((unsigned)p->tags));
    json_object_set_new(o, "version", json_integer(p->version));
    json_object_set_new(o, "created_at", sw_json_instant(p->created_at));
    json_object_set_new(o, "updated_at", sw_json_instant(p->updated_at));
    return o;
}

static char *put_text(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}
#define PUT_LIT(o, lit) put_text((o), (lit), sizeof(lit) - 1)

/* The product as JSON text, keys in the order sw__catalog_render_product writes them, with the
 * stored doc spliced in. Ids are limited to [A-Za-z0-9_.:-] and the status to three words, so they
 * need no escaping; the doc is JSON text the store holds. NULL when out of memory. */
char *sw__catalog_render_product_text(const struct sw_product_row *p, const char *doc)
{
    if (!doc)
        doc = "{}";
    size_t dl = strlen(doc), il = strlen(p->id), ml = strlen(p->merchant), sl = strlen(p->status);
    bool empty = dl <= 2;
    char price[24], created[32], updated[32], num[24];
    sw_money_format(p->price_fen, price);
    sw_instant_format(p->created_at, created);
    sw_instant_format(p->updated_at, updated);
    /* keys and punctuation < 160 bytes, three integers < 24 each, price and instants, the
     * tags (< 64 bytes) */
    enum { FIXED = 160 + (3 * 24) + 24 + (2 * 32) + 64 };
    char *buf = malloc(dl + il + ml + sl + FIXED);
    if (!buf)
        return NULL;
    char *o = PUT_LIT(buf, "{\"id\":\"");
    o = put_text(o, p->id, il);
    o = PUT_LIT(o, "\",\"merchant\":\"");
    o = put_text(o, p->merchant, ml);
    o = PUT_LIT(o, "\",\"status\":\"");
    o = put_text(o, p->status, sl);
    o = PUT_LIT(o, "\"");
    if (!empty) {
        *o++ = ',';
        o = put_text(o, doc + 1, dl - 2);
    }
    o = PUT_LIT(o, ",\"price_fen\":");
    o = put_text(o, num, sw_fmt_i64(num, p->price_fen));
    o = PUT_LIT(o, ",\"price\":\"");
    o = put_text(o, price, strlen(price));
    o = PUT_LIT(o, "\",\"stock\":");
    o = put_text(o, num, sw_fmt_i64(num, p->stock));
    o = PUT_LIT(o, ",\"tags\":[");
    for (unsigned bit = 1, n = 0; bit < (1u << SW_TAG_COUNT); bit <<= 1)
        if ((unsigned)p->tags & bit) {
            o = n++ ? PUT_LIT(o, ",\"") : PUT_LIT(o, "\"");
            o = put_text(o, sw_catalog_tag_name(bit), strlen(sw_catalog_tag_name(bit)));
            o = PUT_LIT(o, "\"");
        }
    o = PUT_LIT(o, "]");
    o = PUT_LIT(o, ",\"version\":");
    o = put_text(o, num, sw_fmt_i64(num, p->version));
    o = PUT_LIT(o, ",\"created_at\":\"");
    o = put_text(o, created, strlen(created));
    o = PUT_LIT(o, "\",\"updated_at\":\"");
    o = put_text(o, updated, strlen(updated));
    o = PUT_LIT(o, "\"}");
    *o = '\0';
    return buf;
}

json_t *sw__catalog_holds_json(int64_t holds)
{
    json_t *a = json_array();
    for (int i = 0; i < SW_HOLD_COUNT; i++)
        if (holds & (1 << i))
            json_array_append_new(a, json_string(sw_hold_name(1u << i)));
    return a;
}

json_t *sw__catalog_render_merchant(const struct sw_merchant_row *m)
{
    char dep[24];
    return json_pack("{s:s,s:s,s:s,s:o,s:O,s:I,s:s,s:I,s:o,s:o}", "id", m->id, "name", m->name,
                     "status", m->status, "holds", sw__catalog_holds_json(m->holds), "categories",
                     m->categories, "deposit_required_fen", (json_int_t)m->deposit_required_fen,
                     "deposit_required", sw_money_format(m->deposit_required_fen, dep), "version",
                     (json_int_t)m->version, "created_at", sw_json_instant(m->created_at),
                     "updated_at", sw_json_instant(m->updated_at));
}
