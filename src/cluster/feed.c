/* The affiliate feed in cluster mode (docs/scale-out.md, "Affiliate"): a promoter's orders are
 * in its partition, and one request of the feed mixes promoters. The accepting node splits the
 * request's events by their promoters' partitions (an event without a promoter goes to the home
 * partition, whose handler rejects it as in single-node mode), publishes one command a
 * partition, all at once, each with its own Nats-Msg-Id (the key and "#p<N>") so that each
 * partition's log dedupes its part, and joins the answers: the counts added up and each event's
 * outcome in the request's order. A part that fails makes the request fail; the client's retry
 * with the same key answers the parts already applied from their logs and applies the rest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_int.h"
#include "domain/affiliate/affiliate.h"

struct part {
    int p;
    json_t *events;
    struct sw_cmd cmd;
    char msg_id[1024];
    size_t next; /* the next of its results to place */
};

static int partition_of_event(const json_t *ev, int partitions)
{
    const char *promoter = json_string_value(json_object_get(ev, "promoter"));
    return sw_cluster_partition(promoter ? promoter : "", partitions);
}

/* The parts' events, by partition in the order of their first event; part_of[i] is event i's. */
static int split(struct sw_cluster *c, const json_t *events, struct part *parts, int *part_of)
{
    int partitions = c->cfg.partitions, n = 0;
    for (size_t i = 0; i < json_array_size(events); i++) {
        int p = partition_of_event(json_array_get(events, i), partitions), k = 0;
        while (k < n && parts[k].p != p)
            k++;
        if (k == n)
            parts[n++] = (struct part){.p = p, .events = json_array()};
        json_array_append(parts[k].events, json_array_get(events, i));
        part_of[i] = k;
    }
    return n;
}

static const char *const counts[] = {"applied", "duplicate", "held", "rejected"};

/* The text s with its first "events[was]" written "events[now]", into out (n bytes, cut to
 * fit). */
static void reindexed(const char *s, size_t was, size_t now, char *out, size_t n)
{
    char from[40];
    snprintf(from, sizeof from, "events[%zu]", was);
    const char *at = strstr(s, from);
    if (at)
        snprintf(out, n, "%.*sevents[%zu]%s", (int)(at - s), s, now, at + strlen(from));
    else
        snprintf(out, n, "%s", s);
}

/* The text s renamed as reindexed says: a new string. */
static json_t *with_index(const char *s, size_t was, size_t now)
{
    size_t n = strlen(s) + 32;
    char *out = malloc(n);
    if (!out)
        return json_string(s);
    reindexed(s, was, now, out, n);
    json_t *j = json_string(out);
    free(out);
    return j;
}

/* A part's outcome of its event `was` (a rejection's field and message name it by its index in
 * the part: events[3].amount_fen), as the request's event `now`. */
static json_t *outcome_as(const json_t *one, size_t was, size_t now)
{
    json_t *o = json_deep_copy(one);
    static const char *const named[] = {"field", "message"};
    for (size_t k = 0; o && was != now && k < 2; k++) {
        const char *s = json_string_value(json_object_get(o, named[k]));
        if (s)
            json_object_set_new(o, named[k], with_index(s, was, now));
    }
    return o;
}

/* Joins the parts' answers into cmd (each part's code is SW_OK); cmd->code says how it went. */
static void join(struct sw_cmd *cmd, struct part *parts, int n, const int *part_of, size_t events)
{
    json_t *result = json_object(), *results = json_array();
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        json_int_t sum = 0;
        for (int g = 0; g < n; g++)
            sum += json_integer_value(json_object_get(parts[g].cmd.result, counts[k]));
        json_object_set_new(result, counts[k], json_integer(sum));
    }
    for (size_t i = 0; i < events; i++) {
        struct part *g = &parts[part_of[i]];
        size_t was = g->next++;
        json_t *one = json_array_get(json_object_get(g->cmd.result, "results"), was);
        json_array_append_new(results, one ? outcome_as(one, was, i) : json_null());
    }
    json_object_set_new(result, "results", results);
    /* the events of every part, in the order of the parts */
    json_t *all = json_array();
    bool replayed = true;
    for (int g = 0; g < n; g++) {
        json_array_extend(all, sw_cmd_events(&parts[g].cmd));
        replayed &= parts[g].cmd.replayed;
    }
    const struct sw_cmd *first = &parts[part_of[0]].cmd;
    cmd->code = SW_OK;
    cmd->result = result;
    cmd->seq = first->seq;
    cmd->at = first->at;
    cmd->replayed = replayed;
    cmd->events_text = json_dumps(all, JSON_COMPACT);
    json_decref(all);
    if (!cmd->events_text)
        cmd->code = sw_fail(&cmd->err, SW_E_INTERNAL, NULL, "out of memory");
}

/* A part's refusal names an event by its index in the part (events[2].amount_fen): named again
 * by its index in the request, as single-node mode names it, in the field and the message.
 * Returns that index, or SIZE_MAX when the field names no event. */
static size_t renumber(struct sw_error *err, int g, const int *part_of, size_t events)
{
    if (strncmp(err->field, "events[", 7) != 0)
        return SIZE_MAX;
    char *end = NULL;
    unsigned long i = strtoul(err->field + 7, &end, 10);
    if (end == err->field + 7 || *end != ']')
        return SIZE_MAX;
    size_t k = 0, seen = 0;
    for (; k < events; k++)
        if (part_of[k] == g && seen++ == i)
            break;
    if (k == events)
        return SIZE_MAX;
    char buf[sizeof err->msg];
    reindexed(err->field, i, k, buf, sizeof err->field);
    memcpy(err->field, buf, sizeof err->field);
    reindexed(err->msg, i, k, buf, sizeof buf);
    memcpy(err->msg, buf, sizeof err->msg);
    return k;
}

static int run_parts(struct sw_cluster *c, struct sw_cmd *cmd, struct part *parts, int n,
                     const int *part_of, size_t events)
{
    struct sw_cmd **cmds = calloc((size_t)n, sizeof *cmds);
    int *ps = calloc((size_t)n, sizeof *ps);
    char **ids = calloc((size_t)n, sizeof *ids);
    int rc = cmds && ps && ids ? SW_OK : SW_E_INTERNAL;
    for (int g = 0; rc == SW_OK && g < n; g++) {
        parts[g].cmd = (struct sw_cmd){.type = cmd->type,
                                       .actor = cmd->actor,
                                       .actor_key = cmd->actor_key,
                                       .actor_label = cmd->actor_label,
                                       .merchant = cmd->merchant,
                                       .idem_key = cmd->idem_key,
                                       .payload = json_pack("{s:O}", "events", parts[g].events)};
        if (cmd->idem_key)
            snprintf(parts[g].msg_id, sizeof parts[g].msg_id, "%s#p%d", cmd->idem_key, parts[g].p);
        cmds[g] = &parts[g].cmd;
        ps[g] = parts[g].p;
        ids[g] = cmd->idem_key ? parts[g].msg_id : NULL;
    }
    if (rc == SW_OK)
        rc = sw__cl_execute_many(c, cmds, ps, ids, n);
    /* the refusal of the earliest event in the request is the answer, as single-node mode
     * refuses the first bad event (a part's refusal naming none comes first) */
    size_t first = SIZE_MAX;
    for (int g = 0; rc == SW_OK && g < n; g++) {
        if (!parts[g].cmd.code)
            continue;
        struct sw_error e = parts[g].cmd.err;
        size_t at = renumber(&e, g, part_of, events);
        if (at == SIZE_MAX)
            at = 0;
        if (first == SIZE_MAX || at < first) {
            first = at;
            cmd->err = e;
            cmd->code = parts[g].cmd.code;
        }
    }
    if (first != SIZE_MAX)
        rc = cmd->code;
    if (rc == SW_OK)
        join(cmd, parts, n, part_of, events);
    else
        cmd->code = rc == SW_E_INTERNAL && !cmd->err.msg[0]
                        ? sw_fail(&cmd->err, SW_E_INTERNAL, NULL, "out of memory")
                        : rc;
    free(cmds);
    free(ps);
    free(ids);
    return cmd->code;
}

int sw__cl_execute_feed(struct sw_cluster *c, struct sw_cmd *cmd)
{
    const json_t *events = json_object_get(cmd->payload, "events");
    size_t n = json_array_size(events);
    /* what the handler refuses as a whole (no events, too many, another field) is refused by
     * the home partition's, as it is */
    bool whole = n == 0 || n > SW_AFF_EVENTS_MAX || json_object_size(cmd->payload) != 1;
    struct part *parts = whole ? NULL : calloc(n, sizeof *parts);
    int *part_of = whole ? NULL : calloc(n, sizeof *part_of);
    int nparts = parts && part_of ? split(c, events, parts, part_of) : 0;
    int rc;
    if (nparts <= 1) {
        int p = nparts == 1 ? parts[0].p : sw_cluster_home_partition(c->cfg.partitions);
        char *id = (char *)cmd->idem_key;
        rc = sw__cl_execute_many(c, &cmd, &p, &id, 1);
        rc = rc ? (cmd->code = sw_fail(&cmd->err, rc, NULL, "out of memory")) : cmd->code;
    } else {
        rc = run_parts(c, cmd, parts, nparts, part_of, n);
    }
    for (int g = 0; g < nparts; g++) {
        json_decref(parts[g].events);
        json_decref(parts[g].cmd.payload);
        sw_cmd_release(&parts[g].cmd);
    }
    free(parts);
    free(part_of);
    return rc;
}
