/* Point-in-time reads: the subject index and the fold (asof.h). */
#include "engine/asof.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/map.h"
#include "store/journal.h"

#define ASOF_NAME "asof"
#define MAX_TYPES 1024

struct ev {
    int64_t seq, at;
    const char *type; /* interned: owned by the index */
};

/* snap[j]: the state after the subject's first (j + 1) * SW_ASOF_SNAPSHOT_EVERY events; NULL
 * when not computed yet, json null when the object did not exist then. */
struct snaps {
    json_t **snap;
    int64_t *last; /* last[j]: the seq of the kind's last event folded into snap[j] (0: none) */
    size_t n;
};

struct subject {
    struct ev *ev;
    size_t n, cap;
    struct snaps by_kind[SW_ASOF_SLOTS];
};

struct asof {
    pthread_mutex_t mu;
    bool built;
    int64_t upto;           /* the last event seq indexed */
    struct sw_map subjects; /* subject -> index in subs */
    struct subject *subs;
    size_t nsubs, capsubs;
    struct sw_map types; /* type -> index in type_names */
    char *type_names[MAX_TYPES];
    size_t ntypes;
    bool oom;
};

static void asof_free(void *state)
{
    struct asof *a = state;
    for (size_t i = 0; i < a->nsubs; i++) {
        for (int k = 0; k < SW_ASOF_SLOTS; k++) {
            for (size_t j = 0; j < a->subs[i].by_kind[k].n; j++)
                json_decref(a->subs[i].by_kind[k].snap[j]);
            free(a->subs[i].by_kind[k].snap);
            free(a->subs[i].by_kind[k].last);
        }
        free(a->subs[i].ev);
    }
    free(a->subs);
    for (size_t i = 0; i < a->ntypes; i++)
        free(a->type_names[i]);
    sw_map_release(&a->subjects);
    sw_map_release(&a->types);
    pthread_mutex_destroy(&a->mu);
    free(a);
}

int sw_asof_register(struct sw_engine *e)
{
    struct asof *a = calloc(1, sizeof *a);
    if (!a)
        return SW_E_INTERNAL;
    pthread_mutex_init(&a->mu, NULL);
    sw_map_init(&a->subjects);
    sw_map_init(&a->types);
    int rc = sw_engine_attach(e, ASOF_NAME, a, asof_free, NULL);
    if (rc)
        asof_free(a);
    return rc;
}

static const char *intern(struct asof *a, const char *type)
{
    uint64_t i;
    size_t len = strlen(type);
    if (sw_map_get(&a->types, type, len, &i))
        return a->type_names[i];
    if (a->ntypes == MAX_TYPES)
        return "";
    char *copy = strdup(type);
    if (!copy || !sw_map_put(&a->types, type, len, a->ntypes)) {
        free(copy);
        return "";
    }
    a->type_names[a->ntypes] = copy;
    return a->type_names[a->ntypes++];
}

static struct subject *subject_of(struct asof *a, const char *id, bool create)
{
    uint64_t i;
    size_t len = strlen(id);
    if (sw_map_get(&a->subjects, id, len, &i))
        return &a->subs[i];
    if (!create)
        return NULL;
    if (a->nsubs == a->capsubs) {
        size_t cap = a->capsubs ? a->capsubs * 2 : 1024;
        struct subject *s = realloc(a->subs, cap * sizeof *s);
        if (!s)
            return NULL;
        a->subs = s;
        a->capsubs = cap;
    }
    if (!sw_map_put(&a->subjects, id, len, a->nsubs))
        return NULL;
    struct subject *s = &a->subs[a->nsubs++];
    memset(s, 0, sizeof *s);
    return s;
}

static void add(struct asof *a, const char *id, int64_t seq, int64_t at, const char *type)
{
    struct subject *s = subject_of(a, id, true);
    if (s && s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        struct ev *ev = realloc(s->ev, cap * sizeof *ev);
        if (ev) {
            s->ev = ev;
            s->cap = cap;
        }
    }
    if (!s || s->n == s->cap) {
        a->oom = true;
        return;
    }
    s->ev[s->n++] = (struct ev){seq, at, type};
}

static void on_event(void *arg, int64_t seq, int64_t at, const char *type, const char *subject,
                     const char *parent)
{
    struct asof *a = arg;
    const char *t = intern(a, type);
    add(a, subject, seq, at, t);
    if (parent && strcmp(parent, subject) != 0)
        add(a, parent, seq, at, t);
    a->upto = seq;
}

/* Brings the index up to what c sees (under a->mu). */
static int catch_up(struct asof *a, struct sw_conn *c, struct sw_error *err)
{
    int rc = sw_journal_subjects_since(c, a->upto, on_event, a, err);
    a->built = true;
    if (rc == SW_OK && a->oom)
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory indexing the event log");
    return rc;
}

static bool matches(const char *type, const char *prefixes)
{
    for (const char *p = prefixes; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n && strncmp(type, p, n) == 0)
            return true;
        p += n + (end ? 1 : 0);
    }
    return false;
}

/* What one fold works on, copied out of the index under its lock. */
struct plan {
    struct ev *ev;       /* the events from the snapshot's position to the end */
    size_t from, to;     /* their positions in the subject's list */
    json_t *state;       /* the snapshot's state (a copy), or NULL */
    int64_t last_before; /* the seq of the kind's last event before `from` (0: none) */
};

static int plan_of(struct asof *a, const struct sw_asof_kind *k, const char *subject, int64_t at_us,
                   struct plan *p, bool *any)
{
    struct subject *s = subject_of(a, subject, false);
    *any = s != NULL;
    if (!s)
        return SW_OK;
    size_t end = 0;
    while (end < s->n && s->ev[end].at <= at_us)
        end++;
    const struct snaps *sn = &s->by_kind[k->slot];
    size_t j = end / SW_ASOF_SNAPSHOT_EVERY;
    while (j > 0 && (j > sn->n || !sn->snap[j - 1]))
        j--;
    p->from = j * SW_ASOF_SNAPSHOT_EVERY;
    p->to = end;
    if (j > 0 && !json_is_null(sn->snap[j - 1]))
        p->state = json_deep_copy(sn->snap[j - 1]);
    p->last_before = j > 0 ? sn->last[j - 1] : 0;
    p->ev = malloc((end - p->from + 1) * sizeof *p->ev);
    if (!p->ev)
        return SW_E_INTERNAL;
    memcpy(p->ev, s->ev + p->from, (end - p->from) * sizeof *p->ev);
    return SW_OK;
}

static void keep_snapshot(struct asof *a, const struct sw_asof_kind *k, const char *subject,
                          size_t pos, const json_t *state, int64_t last_seq)
{
    struct subject *s = subject_of(a, subject, false);
    size_t j = pos / SW_ASOF_SNAPSHOT_EVERY - 1;
    struct snaps *sn = &s->by_kind[k->slot];
    if (j >= sn->n) {
        json_t **v = realloc(sn->snap, (j + 1) * sizeof *v);
        if (v)
            sn->snap = v;
        int64_t *l = v ? realloc(sn->last, (j + 1) * sizeof *l) : NULL;
        if (!l)
            return;
        sn->last = l;
        memset(v + sn->n, 0, (j + 1 - sn->n) * sizeof *v);
        sn->n = j + 1;
    }
    if (!sn->snap[j]) {
        sn->snap[j] = state ? json_deep_copy(state) : json_null();
        sn->last[j] = last_seq;
    }
}

/* Folds p's events into p->state; snapshots at each multiple of SW_ASOF_SNAPSHOT_EVERY. */
static int run(struct asof *a, struct sw_conn *c, const struct sw_asof_kind *k, const char *subject,
               struct plan *p, int64_t *last_seq, struct sw_error *err)
{
    for (size_t i = p->from; i < p->to; i++) {
        const struct ev *e = &p->ev[i - p->from];
        if (matches(e->type, k->prefixes)) {
            json_t *payload = NULL;
            bool found = false;
            int rc = sw_journal_event_at(c, e->seq, &payload, &found, err);
            if (rc)
                return rc;
            if (!found) /* committed after c's snapshot: c sees the log up to here */
                return SW_OK;
            struct sw_asof_event ev = {e->seq, e->at, e->type, payload, subject};
            k->step(&p->state, &ev);
            json_decref(payload);
            *last_seq = e->seq;
        }
        if ((i + 1) % SW_ASOF_SNAPSHOT_EVERY == 0) {
            pthread_mutex_lock(&a->mu);
            keep_snapshot(a, k, subject, i + 1, p->state, *last_seq);
            pthread_mutex_unlock(&a->mu);
        }
    }
    return SW_OK;
}

int sw_asof_fold(struct sw_engine *e, struct sw_conn *c, const struct sw_asof_kind *k,
                 const char *subject, int64_t at_us, json_t **out, int64_t *last_seq,
                 struct sw_error *err)
{
    struct asof *a = sw_engine_attached(e, ASOF_NAME);
    *out = NULL;
    *last_seq = 0;
    if (!a)
        return sw_fail(err, SW_E_INTERNAL, NULL, "point-in-time reads are not set up");
    struct plan p = {0};
    bool any = false;
    pthread_mutex_lock(&a->mu);
    int rc = catch_up(a, c, err);
    if (rc == SW_OK && plan_of(a, k, subject, at_us, &p, &any) != SW_OK)
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    pthread_mutex_unlock(&a->mu);
    *last_seq = p.last_before;
    if (rc == SW_OK && any)
        rc = run(a, c, k, subject, &p, last_seq, err);
    free(p.ev);
    if (rc)
        json_decref(p.state);
    else
        *out = p.state;
    return rc;
}

void sw_asof_set_instant(json_t *obj, const char *key, int64_t at_us)
{
    json_object_set_new(obj, key, sw_json_instant(at_us));
}

void sw_asof_replace(json_t **state, const json_t *payload)
{
    json_decref(*state);
    *state = json_deep_copy(payload);
}
