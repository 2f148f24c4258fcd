/* The replay report on a terminal, and --out (docs/replay.md, "The report"). */
#ifndef SW_CLI_REPLAY_PRINT_H
#define SW_CLI_REPLAY_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "replay/replay.h"

void sw_replay_print_check(FILE *f, const struct sw_replay_report *r);
void sw_replay_print_draft(FILE *f, const struct sw_replay_report *r, bool only_changed);
/* One JSON line per differing subject; 0 on success. */
int sw_replay_write_ndjson(const char *path, const struct sw_replay_report *r);

#endif
