/* Product ids across partitions (docs/scale-out.md, "Product ids"). Ids are one namespace across
 * stores (docs/api.md), but a store's products are in its partition, whose database knows only
 * its own. Before a product.create goes to its partition, the accepting node claims the id in
 * the KV bucket sw_ids ("p.<hex of the id>" -> the store) with kvStore_Create, which one node in
 * the cluster wins: the first store to claim an id has it. The HTTP layer (forward.c) answers
 * another store's claim 409 already_exists, as single-node mode answers the id taken, unless the
 * claim is stale (no partition has the product and the claim is older than a create takes),
 * which it takes over by compare-and-set on the revision it read; and it releases a claim its
 * create made when the create was refused. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cluster/cluster_int.h"

int sw_cluster_id_claim(void *cluster, const char *id, const char *store, struct sw_id_claim *out,
                        struct sw_error *err)
{
    struct sw_cluster *c = cluster;
    char key[300];
    *out = (struct sw_id_claim){0};
    if (!sw__cl_hex_key('p', id, key, sizeof key))
        return sw_fail(err, SW_E_INVALID_VALUE, "id", "id too long for the id store");
    for (int attempt = 0; attempt < 5; attempt++) {
        uint64_t rev = 0;
        if (kvStore_CreateString(&rev, c->ids, key, store) == NATS_OK) {
            snprintf(out->holder, sizeof out->holder, "%s", store);
            out->rev = rev;
            out->created = true;
            return SW_OK;
        }
        kvEntry *e = NULL;
        natsStatus s = kvStore_Get(&e, c->ids, key);
        if (s == NATS_NOT_FOUND)
            continue; /* released meanwhile: claim it again */
        if (s != NATS_OK)
            return sw__cl_nats_fail(err, s, 0, "id store");
        snprintf(out->holder, sizeof out->holder, "%s", kvEntry_ValueString(e));
        out->rev = kvEntry_Revision(e);
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        int64_t created_ns = kvEntry_Created(e);
        int64_t now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
        out->age_ms = now_ns > created_ns ? (now_ns - created_ns) / 1000000 : 0;
        kvEntry_Destroy(e);
        return SW_OK;
    }
    return sw_fail(err, SW_E_BUSY, NULL, "the id store kept changing; retry");
}

int sw_cluster_id_take(void *cluster, const char *id, const char *store, uint64_t rev,
                       uint64_t *nrev, struct sw_error *err)
{
    struct sw_cluster *c = cluster;
    char key[300];
    if (!sw__cl_hex_key('p', id, key, sizeof key))
        return sw_fail(err, SW_E_INVALID_VALUE, "id", "id too long for the id store");
    if (kvStore_UpdateString(nrev, c->ids, key, store, rev) != NATS_OK)
        return sw_fail(err, SW_E_ALREADY_EXISTS, "id", "product '%s' already exists", id);
    return SW_OK;
}

void sw_cluster_id_release(void *cluster, const char *id, const char *store, uint64_t rev)
{
    struct sw_cluster *c = cluster;
    char key[300];
    kvEntry *e = NULL;
    if (!sw__cl_hex_key('p', id, key, sizeof key) || kvStore_Get(&e, c->ids, key) != NATS_OK)
        return;
    /* only the claim this create made: another create of the store may hold it since */
    bool mine = kvEntry_Revision(e) == rev && strcmp(kvEntry_ValueString(e), store) == 0;
    kvEntry_Destroy(e);
    if (mine)
        kvStore_Delete(c->ids, key);
}
