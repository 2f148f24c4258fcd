/* Snapshots of a partition's database: VACUUM INTO a file, published as chunks of
 * SW_CL_CHUNK bytes to sw.snap.<p> in the stream SW_SNAP (what an object store is underneath;
 * Debian's libnats 3.4.1 has none), then the manifest {seq, chunks, size, at, node, owner,
 * consumer} put under "p.<p>" in the bucket sw_snaps. seq is the stream sequence of the last
 * command the copy covers. The previous snapshot's chunks are deleted once the new manifest is
 * in place.
 *
 * The manifest is also the partition's fence. An owner that takes a partition writes its own
 * token into it (compare-and-set) before it restores, and only a writer whose token is still
 * there may write a snapshot and purge the stream below it. An owner that lost its lease
 * without noticing (the broker was away, its KV reads failed) could otherwise snapshot and
 * purge commands the new owner, restored from an older snapshot, had not applied yet: they
 * would be gone from its database for good. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "cluster/cluster_int.h"
#include "store/cluster_sql.h"

static char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *n = buf ? (size_t)len : 0;
    return buf;
}

/* The manifest of p's latest snapshot and its KV revision (NULL and 0: none, or unreadable;
 * *st says which: NATS_NOT_FOUND is none). */
static json_t *get_manifest(struct sw_cluster *c, int p, uint64_t *rev, natsStatus *st)
{
    char key[32];
    snprintf(key, sizeof key, "p.%d", p);
    kvEntry *e = NULL;
    *rev = 0;
    natsStatus s = kvStore_Get(&e, c->snaps, key);
    if (st)
        *st = s;
    if (s != NATS_OK)
        return NULL;
    json_t *m = json_loadb(kvEntry_Value(e), (size_t)kvEntry_ValueLen(e), 0, NULL);
    *rev = kvEntry_Revision(e);
    kvEntry_Destroy(e);
    return m;
}

/* Writes m as p's manifest: over revision rev (compare-and-set), or as the first one (rev 0). */
static natsStatus put_manifest(struct sw_cluster *c, int p, const json_t *m, uint64_t rev)
{
    char key[32];
    snprintf(key, sizeof key, "p.%d", p);
    char *text = json_dumps(m, JSON_COMPACT);
    if (!text)
        return NATS_NO_MEMORY;
    uint64_t nrev = 0;
    natsStatus s = rev ? kvStore_UpdateString(&nrev, c->snaps, key, text, rev)
                       : kvStore_CreateString(&nrev, c->snaps, key, text);
    free(text);
    return s;
}

static bool owned_by(const json_t *m, const struct sw_part *pt)
{
    const char *owner = json_string_value(json_object_get(m, "owner"));
    return owner && strcmp(owner, pt->token) == 0;
}

static void delete_chunks(struct sw_cluster *c, const json_t *chunks)
{
    size_t i;
    json_t *v;
    json_array_foreach(chunks, i, v)
        js_DeleteMsg(c->js, SW_CL_SNAP_STREAM, (uint64_t)json_integer_value(v), NULL, NULL);
}

/* Retention: the partition's commands up to the snapshot's seq are in the snapshot; the
 * stream keeps what follows. A failure is logged and retried at the next snapshot. */
static void purge_below(struct sw_part *pt, uint64_t seq)
{
    char subject[32];
    snprintf(subject, sizeof subject, "sw.cmd.%d", pt->p);
    jsOptions o;
    jsOptions_Init(&o);
    o.Stream.Purge.Subject = subject;
    o.Stream.Purge.Sequence = seq + 1; /* up to but not including */
    jsErrCode jerr = 0;
    natsStatus s = js_PurgeStream(pt->cl->js, SW_CL_CMD_STREAM, &o, &jerr);
    if (s != NATS_OK)
        sw_log(SW_LOG_WARN, "cluster.purge_failed", "partition %d: %s (jetstream error %d)", pt->p,
               natsStatus_GetText(s), (int)jerr);
}

static int publish_chunks(struct sw_part *pt, const char *data, size_t n, json_t *seqs,
                          struct sw_error *err)
{
    char subject[32];
    snprintf(subject, sizeof subject, "sw.snap.%d", pt->p);
    for (size_t off = 0; off < n || off == 0; off += SW_CL_CHUNK) {
        size_t len = n - off < SW_CL_CHUNK ? n - off : SW_CL_CHUNK;
        jsPubAck *pa = NULL;
        jsErrCode jerr = 0;
        natsStatus s = js_Publish(&pa, pt->cl->js, subject, data + off, (int)len, NULL, &jerr);
        if (s != NATS_OK)
            return sw__cl_nats_fail(err, s, jerr, "snapshot chunk");
        json_array_append_new(seqs, json_integer((json_int_t)pa->Sequence));
        jsPubAck_Destroy(pa);
        if (n == 0)
            break;
    }
    return SW_OK;
}

int sw__snap_save(struct sw_part *pt, struct sw_error *err)
{
    struct sw_cluster *c = pt->cl;
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.snap", pt->db_path);
    unlink(tmp);
    int rc = sw_sql_snapshot(pt->db_path, tmp, err);
    size_t n = 0;
    char *data = rc == SW_OK ? read_file(tmp, &n) : NULL;
    unlink(tmp);
    if (rc == SW_OK && !data)
        return sw_fail(err, SW_E_STORAGE_FAILED, NULL, "cannot read the snapshot");
    if (rc != SW_OK)
        return rc;
    json_t *seqs = json_array();
    rc = publish_chunks(pt, data, n, seqs, err);
    free(data);
    if (rc != SW_OK) {
        json_decref(seqs);
        return rc;
    }
    uint64_t old_rev = 0;
    natsStatus s = NATS_OK;
    json_t *old = get_manifest(c, pt->p, &old_rev, &s);
    if (!old) {
        delete_chunks(c, seqs);
        json_decref(seqs);
        return sw__cl_nats_fail(err, s, 0, "snapshot manifest");
    }
    /* Fenced: another owner took the partition (its token is in the manifest). The stream
     * below this copy may hold what that owner has still to apply: no snapshot, no purge. A
     * snapshot never replaces a newer one either. */
    bool fenced = !owned_by(old, pt);
    if (fenced || (uint64_t)json_integer_value(json_object_get(old, "seq")) >= pt->applied_seq) {
        delete_chunks(c, seqs);
        json_decref(seqs);
        json_decref(old);
        pt->fenced = fenced;
        pt->since_snap = 0; /* not again at once: the partition is someone else's by now */
        pt->snap_mono_ms = sw__cl_mono_ms();
        return fenced ? sw_fail(err, SW_E_STATE_CONFLICT, NULL,
                                "another owner took the partition (fenced)")
                      : sw_fail(err, SW_E_STATE_CONFLICT, NULL,
                                "a snapshot at or past seq %llu exists",
                                (unsigned long long)pt->applied_seq);
    }
    /* last_at: the stamps a replay clamps to are the stream's, whatever the outcomes were (a
     * refused command is not in the log but its instant counted) */
    json_t *m = json_pack("{s:I,s:I,s:O,s:I,s:I,s:s,s:s,s:s}", "seq", (json_int_t)pt->applied_seq,
                          "last_at", (json_int_t)pt->last_at, "chunks", seqs, "size", (json_int_t)n,
                          "at", (json_int_t)time(NULL), "node", c->node_id, "owner", pt->token,
                          "consumer", pt->consumer);
    /* compare-and-set on the revision read: a takeover in between wins */
    s = put_manifest(c, pt->p, m, old_rev);
    json_decref(m);
    if (s != NATS_OK) {
        delete_chunks(c, seqs);
        json_decref(seqs);
        json_decref(old);
        return sw__cl_nats_fail(err, s, 0, "snapshot manifest");
    }
    json_decref(seqs);
    delete_chunks(c, json_object_get(old, "chunks"));
    json_decref(old);
    purge_below(pt, pt->applied_seq);
    pt->since_snap = 0;
    pt->snap_mono_ms = sw__cl_mono_ms();
    atomic_store(&pt->snap_at_s, (int64_t)time(NULL));
    return SW_OK;
}

static void remove_db(const char *path)
{
    char p[4300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static int write_chunks(struct sw_cluster *c, json_t *chunks, FILE *f, struct sw_error *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(chunks, i, v)
    {
        natsMsg *m = NULL;
        jsErrCode jerr = 0;
        natsStatus s =
            js_GetMsg(&m, c->js, SW_CL_SNAP_STREAM, (uint64_t)json_integer_value(v), NULL, &jerr);
        if (s != NATS_OK)
            return sw__cl_nats_fail(err, s, jerr, "snapshot chunk");
        size_t len = (size_t)natsMsg_GetDataLength(m);
        bool ok = fwrite(natsMsg_GetData(m), 1, len, f) == len;
        natsMsg_Destroy(m);
        if (!ok)
            return sw_fail(err, SW_E_STORAGE_FAILED, NULL, "cannot write the snapshot");
    }
    return SW_OK;
}

static void delete_consumer(struct sw_cluster *c, int p, const char *name)
{
    jsErrCode jerr = 0;
    natsStatus s = js_DeleteConsumer(c->js, SW_CL_CMD_STREAM, name, NULL, &jerr);
    if (s != NATS_OK && s != NATS_NOT_FOUND && jerr != JSConsumerNotFoundErr)
        sw_log(SW_LOG_WARN, "cluster.consumer_delete", "partition %d: consumer %s: %s", p, name,
               natsStatus_GetText(s));
}

/* Makes this incarnation the partition's owner in its manifest: writes its token over the
 * revision read (compare-and-set; read again on a conflict). Returns the manifest it replaced
 * (NULL: the partition never had one), whose snapshot is the one to restore: whoever owned the
 * partition before can write no snapshot after it, so nothing it purges is missing from it.
 * The consumers of the owners before are deleted: none of them fetches anything more. */
static int fence(struct sw_part *pt, json_t **prev, struct sw_error *err)
{
    struct sw_cluster *c = pt->cl;
    *prev = NULL;
    natsStatus s = NATS_OK;
    for (int attempt = 0; attempt < 20 && !atomic_load(&pt->stop); attempt++) {
        uint64_t rev = 0;
        json_t *m = get_manifest(c, pt->p, &rev, &s);
        if (!m && s != NATS_NOT_FOUND) {
            usleep(250000); /* the broker is away */
            continue;
        }
        json_t *next = m ? json_deep_copy(m)
                         : json_pack("{s:I,s:I,s:[]}", "seq", (json_int_t)0, "last_at",
                                     (json_int_t)0, "chunks");
        json_object_set_new(next, "owner", json_string(pt->token));
        json_object_set_new(next, "consumer", json_string(pt->consumer));
        s = put_manifest(c, pt->p, next, rev);
        json_decref(next);
        if (s == NATS_OK) {
            const char *before = json_string_value(json_object_get(m, "consumer"));
            if (before && strcmp(before, pt->consumer) != 0)
                delete_consumer(c, pt->p, before);
            char legacy[32]; /* the one consumer name of releases before the fence */
            snprintf(legacy, sizeof legacy, "p%d", pt->p);
            delete_consumer(c, pt->p, legacy);
            *prev = m;
            return SW_OK;
        }
        json_decref(m); /* another writer in between: read again */
        usleep(50000);
    }
    return sw__cl_nats_fail(err, s, 0, "partition fence");
}

static int restore_chunks(struct sw_cluster *c, json_t *m, const char *path, struct sw_error *err)
{
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.restore", path);
    FILE *f = fopen(tmp, "wb");
    int rc =
        f ? write_chunks(c, json_object_get(m, "chunks"), f, err)
          : sw_fail(err, SW_E_STORAGE_FAILED, NULL, "cannot create '%s': %s", tmp, strerror(errno));
    if (f && fclose(f) != 0 && rc == SW_OK)
        rc = sw_fail(err, SW_E_STORAGE_FAILED, NULL, "cannot write '%s'", tmp);
    if (rc == SW_OK && rename(tmp, path) != 0)
        rc = sw_fail(err, SW_E_STORAGE_FAILED, NULL, "cannot rename '%s'", tmp);
    return rc;
}

int sw__snap_restore(struct sw_part *pt, uint64_t *seq, sw_instant *last_at, struct sw_error *err)
{
    *seq = 0;
    *last_at = 0;
    remove_db(pt->db_path);
    json_t *m = NULL;
    int rc = fence(pt, &m, err);
    if (rc != SW_OK || !m || json_array_size(json_object_get(m, "chunks")) == 0) {
        json_decref(m); /* never snapshotted: the whole stream is replayed into an empty db */
        return rc;
    }
    rc = restore_chunks(pt->cl, m, pt->db_path, err);
    if (rc == SW_OK) {
        *seq = (uint64_t)json_integer_value(json_object_get(m, "seq"));
        *last_at = json_integer_value(json_object_get(m, "last_at"));
    }
    json_decref(m);
    return rc;
}
