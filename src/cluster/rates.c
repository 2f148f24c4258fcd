/* The item counts across partitions (docs/scale-out.md, "Affiliate"). conversion_outlier
 * compares a promoter's conversion of an item with the item's over every promoter, and a
 * partition holds its own promoters' orders only. Each partition announces its own count of an
 * item when it changes (event affiliate.item_counted); every node keeps them in its read model
 * (view.c); and the owner of a partition publishes into the partition's stream, once a second,
 * the other partitions' counts of its items that changed since it last did (command
 * affiliate.item_rates, by the engine). The command goes through the stream like any other, so
 * a replay or a new owner sees the same decisions.
 *
 * A new owner tells the partition every other partition's count of each of its items once more
 * (sw_affiliate_counts_model_start), page by page. That is harmless: a partition keeps each
 * source's count with the seq of the event that announced it and ignores one no newer
 * (src/domain/affiliate/rates.c), so a count told twice, by two owners, or late, changes nothing.
 * The message id (the partition and a hash of the payload) lets the broker drop the same command
 * published twice inside its window. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cluster/cluster_int.h"
#include "domain/affiliate/affiliate.h"

#define RATES_EVERY_MS 1000
/* rows of the model read at once, and pages sent in one turn of the partition's loop */
#define RATES_ROWS 1000
#define RATES_PAGES 4
/* what one command carries at most: sources (about 70 bytes each, far below the broker's
 * 1 MiB max_payload) and items (the command's own bound is 1,000) */
#define RATES_SOURCES 4000
#define RATES_ITEMS 1000

static uint64_t fnv64(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static bool publish_rates(struct sw_part *pt, json_t *items)
{
    struct sw_cluster *c = pt->cl;
    json_t *doc = json_pack("{s:s,s:s,s:{s:O},s:I,s:s}", "type", "affiliate.item_rates", "actor",
                            "system", "payload", "items", items, "at",
                            (json_int_t)sw_clock_now(&c->clock), "node", c->node_id);
    json_t *payload = json_object_get(doc, "payload");
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    char *ptext = payload ? json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(doc);
    if (!text || !ptext) {
        free(text);
        free(ptext);
        return false;
    }
    char msg_id[64];
    snprintf(msg_id, sizeof msg_id, "rates.%d.%016" PRIx64, pt->p, fnv64(ptext));
    free(ptext);
    bool ok = sw__part_publish(pt, text, msg_id, "cluster.rates_publish");
    free(text);
    if (!ok)
        return false;
    atomic_fetch_add(&c->rates_sent, 1);
    return true;
}

/* items in commands of at most RATES_ITEMS items and RATES_SOURCES sources (an item's sources
 * are never split: there are fewer partitions than RATES_SOURCES) */
static bool publish_all(struct sw_part *pt, const json_t *items)
{
    size_t n = json_array_size(items), i = 0;
    bool ok = true;
    while (ok && i < n) {
        json_t *chunk = json_array();
        size_t sources = 0;
        for (; i < n && json_array_size(chunk) < RATES_ITEMS; i++) {
            json_t *it = json_array_get(items, i);
            size_t k = json_array_size(json_object_get(it, "sources"));
            if (json_array_size(chunk) > 0 && sources + k > RATES_SOURCES)
                break;
            sources += k;
            json_array_append(chunk, it);
        }
        ok = publish_rates(pt, chunk);
        json_decref(chunk);
    }
    return ok;
}

void sw__part_rates(struct sw_part *pt)
{
    int64_t mono = sw__cl_mono_ms();
    if (mono - pt->rates_mono_ms < RATES_EVERY_MS || !pt->cl->view)
        return;
    pt->rates_mono_ms = mono;
    struct sw_error err;
    struct sw_aff_rates_pos from = {pt->rates_changed, pt->rates_items}, to;
    if (!pt->rates_started) {
        if (sw__view_rates_start(pt->cl, &from, &err) != SW_OK) {
            sw_log(SW_LOG_WARN, "cluster.rates", "partition %d: %s", pt->p, err.msg);
            return;
        }
        pt->rates_started = true;
    }
    bool more = true;
    for (int page = 0; more && page < RATES_PAGES; page++) {
        json_t *items = NULL;
        if (sw__view_rates_pending(pt->cl, pt->p, &from, RATES_ROWS, &items, &to, &more, &err) !=
            SW_OK) {
            sw_log(SW_LOG_WARN, "cluster.rates", "partition %d: %s", pt->p, err.msg);
            more = false;
            break;
        }
        /* on a failure, what was not sent is looked at again next time */
        bool sent = publish_all(pt, items);
        json_decref(items);
        if (!sent) {
            more = false; /* tried again in a second */
            break;
        }
        from = to;
    }
    pt->rates_changed = from.changed;
    pt->rates_items = from.items;
    if (more) /* more waiting: the next turn of the loop goes on at once */
        pt->rates_mono_ms = mono - RATES_EVERY_MS;
}
