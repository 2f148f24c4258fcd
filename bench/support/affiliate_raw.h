/* The raw SQLite loop of affiliate_bench: the server's rows for the same batches, written by a
 * bare loop that keeps each order's state in memory (bench/support/affiliate_raw.c). */
#ifndef BENCH_AFFILIATE_RAW_H
#define BENCH_AFFILIATE_RAW_H

#include "support/affiliate_gen.h"

#define AFF_RAW_PHASES 4
extern const char *const aff_raw_phases[AFF_RAW_PHASES];

struct aff_raw_result {
    double seconds, phase[AFF_RAW_PHASES];
    long rows;
    long fresh, duplicate; /* events stored and events its dedupe refused: checked against the
                              generator's tally, so that a raw loop that stores nothing fails */
};

/* Writes g's stream in batches of `batch` into db (a copy of the server's set-up database), a
 * transaction a batch; 0 or -1 with a message on stderr. */
int aff_raw_run(const struct aff_gen *g, const char *db, int batch, const char *policy_version,
                struct aff_raw_result *out);

#endif
