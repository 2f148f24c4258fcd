/* Comparing a replay under a draft policy with the log: decisions, subject by subject. */
#include "replay/replay_int.h"

int sw__replay_compare_decisions(struct sw_conn *live, struct sw_conn *scratch,
                                 int64_t last_cmd_seq, const struct sw_replay_opts *o,
                                 struct sw_replay_report *r, struct sw_error *err)
{
    (void)live;
    (void)scratch;
    (void)last_cmd_seq;
    (void)o;
    (void)r;
    return sw_fail(err, SW_E_INTERNAL, NULL, "not yet");
}
