/* What the cluster (src/cluster) reads of a partition's database. */
#ifndef SW_STORE_CLUSTER_SQL_H
#define SW_STORE_CLUSTER_SQL_H

#include "base/instant.h"
#include "store/store.h"

/* The instant of the last logged command (0: none). */
int sw_sql_last_command_at(struct sw_conn *c, sw_instant *at, struct sw_error *err) SW_MUSTCHECK;
/* Writes a consistent copy of the database behind path_db into path_out (VACUUM INTO, which
 * needs path_out not to exist). */
int sw_sql_snapshot(const char *path_db, const char *path_out, struct sw_error *err) SW_MUSTCHECK;

#endif
