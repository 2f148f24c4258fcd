/* The cluster's /metrics series: per partition, whether this node owns it, its consumer lag
 * and the age of its last snapshot; and the accepting side's counters. */
#include <stdio.h>
#include <time.h>

#include "cluster/cluster_int.h"

bool sw_cluster_metrics(void *cluster, struct sw_buf *b)
{
    struct sw_cluster *c = cluster;
    bool ok = sw_buf_printf(
        b,
        "# HELP sw_cluster_commands_published_total Commands this node published to a "
        "partition's stream.\n"
        "# TYPE sw_cluster_commands_published_total counter\n"
        "sw_cluster_commands_published_total %llu\n"
        "# HELP sw_cluster_duplicates_total Publishes the stream recognised by Nats-Msg-Id.\n"
        "# TYPE sw_cluster_duplicates_total counter\n"
        "sw_cluster_duplicates_total %llu\n"
        "# HELP sw_cluster_reply_timeouts_total Commands and reads whose owner did not answer in "
        "time.\n"
        "# TYPE sw_cluster_reply_timeouts_total counter\n"
        "sw_cluster_reply_timeouts_total %llu\n"
        "# HELP sw_cluster_ticks_published_total Ticks this node published for due timers.\n"
        "# TYPE sw_cluster_ticks_published_total counter\n"
        "sw_cluster_ticks_published_total %llu\n"
        "# HELP sw_cluster_timers_fired_total Timers fired by the ticks this node applied.\n"
        "# TYPE sw_cluster_timers_fired_total counter\n"
        "sw_cluster_timers_fired_total %llu\n"
        "# HELP sw_cluster_item_rates_published_total Commands this node published to tell an "
        "owned partition the other partitions' counts of its affiliate items.\n"
        "# TYPE sw_cluster_item_rates_published_total counter\n"
        "sw_cluster_item_rates_published_total %llu\n"
        "# HELP sw_cluster_reads_forwarded_total Reads this node had another node answer.\n"
        "# TYPE sw_cluster_reads_forwarded_total counter\n"
        "sw_cluster_reads_forwarded_total %llu\n"
        "# HELP sw_cluster_reads_served_total Reads this node answered for another node.\n"
        "# TYPE sw_cluster_reads_served_total counter\n"
        "sw_cluster_reads_served_total %llu\n"
        "# HELP sw_cluster_consumer_gaps_total Deliveries that skipped a message of a partition's "
        "stream (the consumer was made again from the last applied message).\n"
        "# TYPE sw_cluster_consumer_gaps_total counter\n"
        "sw_cluster_consumer_gaps_total %llu\n"
        "# HELP sw_cluster_keys_published_total Key records this node put into the key store.\n"
        "# TYPE sw_cluster_keys_published_total counter\n"
        "sw_cluster_keys_published_total %llu\n"
        "# HELP sw_cluster_keys_seen_total Key records the key store's watcher handed this node.\n"
        "# TYPE sw_cluster_keys_seen_total counter\n"
        "sw_cluster_keys_seen_total %llu\n",
        (unsigned long long)atomic_load(&c->published),
        (unsigned long long)atomic_load(&c->duplicates),
        (unsigned long long)atomic_load(&c->timeouts), (unsigned long long)atomic_load(&c->ticks),
        (unsigned long long)atomic_load(&c->timers_fired),
        (unsigned long long)atomic_load(&c->rates_sent),
        (unsigned long long)atomic_load(&c->reads_forwarded),
        (unsigned long long)atomic_load(&c->reads_served),
        (unsigned long long)atomic_load(&c->gaps),
        (unsigned long long)atomic_load(&c->keys_published),
        (unsigned long long)atomic_load(&c->keys_seen));
    int64_t behind = 0;
    sw__view_metrics(c, &behind);
    ok &= sw_buf_printf(
        b,
        "# HELP sw_cluster_events_published_total Events of owned partitions this node "
        "published to the event stream.\n"
        "# TYPE sw_cluster_events_published_total counter\n"
        "sw_cluster_events_published_total %llu\n"
        "# HELP sw_cluster_view_events_total Events this node's read model took in.\n"
        "# TYPE sw_cluster_view_events_total counter\n"
        "sw_cluster_view_events_total %llu\n"
        "# HELP sw_cluster_view_filled_total Events the read model fetched from an owner (the "
        "stream no longer held them).\n"
        "# TYPE sw_cluster_view_filled_total counter\n"
        "sw_cluster_view_filled_total %llu\n"
        "# HELP sw_cluster_view_held_back Events the read model holds behind a missing one "
        "(not read until it is filled).\n"
        "# TYPE sw_cluster_view_held_back gauge\n"
        "sw_cluster_view_held_back %lld\n"
        "# HELP sw_cluster_partition_owned 1 when this node owns the partition.\n"
        "# TYPE sw_cluster_partition_owned gauge\n",
        (unsigned long long)atomic_load(&c->events_published),
        (unsigned long long)atomic_load(&c->view_events),
        (unsigned long long)atomic_load(&c->view_filled), (long long)behind);
    for (int p = 0; p < c->cfg.partitions; p++)
        ok &= sw_buf_printf(b, "sw_cluster_partition_owned{partition=\"%d\"} %d\n", p,
                            atomic_load(&c->parts[p].ready) ? 1 : 0);
    ok &= sw_buf_puts(b, "# HELP sw_cluster_partition_lag Commands of an owned partition's "
                         "stream not yet delivered to its consumer.\n"
                         "# TYPE sw_cluster_partition_lag gauge\n");
    for (int p = 0; p < c->cfg.partitions; p++)
        if (atomic_load(&c->parts[p].ready))
            ok &= sw_buf_printf(b, "sw_cluster_partition_lag{partition=\"%d\"} %llu\n", p,
                                (unsigned long long)atomic_load(&c->parts[p].pending));
    ok &= sw_buf_puts(b, "# HELP sw_cluster_partition_applied_total Commands applied since this "
                         "node took the partition.\n"
                         "# TYPE sw_cluster_partition_applied_total counter\n");
    for (int p = 0; p < c->cfg.partitions; p++)
        if (atomic_load(&c->parts[p].ready))
            ok &= sw_buf_printf(b, "sw_cluster_partition_applied_total{partition=\"%d\"} %llu\n", p,
                                (unsigned long long)atomic_load(&c->parts[p].applied));
    ok &= sw_buf_puts(b, "# HELP sw_cluster_snapshot_age_seconds Seconds since this node last "
                         "snapshotted an owned partition.\n"
                         "# TYPE sw_cluster_snapshot_age_seconds gauge\n");
    int64_t now = (int64_t)time(NULL);
    for (int p = 0; p < c->cfg.partitions; p++) {
        int64_t at = atomic_load(&c->parts[p].snap_at_s);
        if (atomic_load(&c->parts[p].ready) && at)
            ok &= sw_buf_printf(b, "sw_cluster_snapshot_age_seconds{partition=\"%d\"} %lld\n", p,
                                (long long)(now - at));
    }
    return ok;
}
