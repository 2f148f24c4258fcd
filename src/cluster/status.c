/* `shopwarden cluster status`: what the broker knows, without a node: each partition's owner
 * (sw_owners), its consumer's position and lag (the owner's durable consumer on SW_CMD, which
 * the manifest names) and its latest snapshot (sw_snaps manifest: covered stream sequence,
 * age), and the live nodes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/cluster_int.h"

static json_t *kv_json(kvStore *kv, const char *key, bool parse)
{
    kvEntry *e = NULL;
    if (!kv || kvStore_Get(&e, kv, key) != NATS_OK)
        return NULL;
    json_t *v = parse ? json_loadb(kvEntry_Value(e), (size_t)kvEntry_ValueLen(e), 0, NULL)
                      : json_string(kvEntry_ValueString(e));
    kvEntry_Destroy(e);
    return v;
}

static json_t *partition_status(jsCtx *js, kvStore *owners, kvStore *snaps, int p)
{
    char key[32];
    snprintf(key, sizeof key, "p.%d", p);
    json_t *owner = kv_json(owners, key, false);
    json_t *o = json_pack("{s:i,s:o}", "partition", p, "owner", owner ? owner : json_null());
    json_t *m = kv_json(snaps, key, true);
    /* the owner's consumer: the manifest names it (snapshot.c, the fence) */
    const char *durable = json_string_value(json_object_get(m, "consumer"));
    jsConsumerInfo *ci = NULL;
    if (durable && js_GetConsumerInfo(&ci, js, SW_CL_CMD_STREAM, durable, NULL, NULL) == NATS_OK) {
        json_object_set_new(o, "lag", json_integer((json_int_t)ci->NumPending));
        json_object_set_new(o, "ack_pending", json_integer(ci->NumAckPending));
        json_object_set_new(o, "acked_stream_seq", json_integer((json_int_t)ci->AckFloor.Stream));
        jsConsumerInfo_Destroy(ci);
    } else {
        json_object_set_new(o, "lag", json_null());
    }
    if (json_array_size(json_object_get(m, "chunks")) > 0) {
        json_object_set_new(o, "snapshot_stream_seq", json_incref(json_object_get(m, "seq")));
        json_object_set_new(o, "snapshot_bytes", json_incref(json_object_get(m, "size")));
        json_object_set_new(
            o, "snapshot_age_s",
            json_integer((json_int_t)time(NULL) - json_integer_value(json_object_get(m, "at"))));
    } else {
        json_object_set_new(o, "snapshot_age_s", json_null());
    }
    json_decref(m);
    return o;
}

static json_t *live_nodes(jsCtx *js)
{
    json_t *a = json_array();
    jsOptions o;
    jsOptions_Init(&o);
    o.Stream.Info.SubjectsFilter = "$KV." SW_CL_OWNERS ".node.>";
    jsStreamInfo *si = NULL;
    if (js_GetStreamInfo(&si, js, "KV_" SW_CL_OWNERS, &o, NULL) == NATS_OK && si) {
        size_t skip = strlen("$KV." SW_CL_OWNERS ".node.");
        for (int i = 0; si->State.Subjects && i < si->State.Subjects->Count; i++)
            json_array_append_new(a, json_string(si->State.Subjects->List[i].Subject + skip));
        jsStreamInfo_Destroy(si);
    }
    return a;
}

int sw_cluster_status(const char *urls, int partitions, json_t **out, struct sw_error *err)
{
    natsConnection *nc = NULL;
    jsCtx *js = NULL;
    int rc = sw__cl_connect(urls, "shopwarden-status", &nc, &js, err);
    if (rc)
        return rc;
    kvStore *owners = NULL, *snaps = NULL;
    if (js_KeyValue(&owners, js, SW_CL_OWNERS) != NATS_OK)
        owners = NULL;
    if (js_KeyValue(&snaps, js, SW_CL_SNAPS) != NATS_OK)
        snaps = NULL;
    jsStreamInfo *si = NULL;
    json_t *stream = json_null();
    if (js_GetStreamInfo(&si, js, SW_CL_CMD_STREAM, NULL, NULL) == NATS_OK) {
        stream = json_pack("{s:I,s:I}", "messages", (json_int_t)si->State.Msgs, "last_seq",
                           (json_int_t)si->State.LastSeq);
        jsStreamInfo_Destroy(si);
    }
    json_t *parts = json_array();
    for (int p = 0; p < partitions; p++)
        json_array_append_new(parts, partition_status(js, owners, snaps, p));
    *out =
        json_pack("{s:o,s:o,s:o}", "nodes", live_nodes(js), "stream", stream, "partitions", parts);
    kvStore_Destroy(owners);
    kvStore_Destroy(snaps);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
    return SW_OK;
}
