/* What the cluster (src/cluster) reads of a partition's database. */
#ifndef SW_STORE_CLUSTER_SQL_H
#define SW_STORE_CLUSTER_SQL_H

#include "store/store.h"

/* Writes a consistent copy of the database behind path_db into path_out (VACUUM INTO, which
 * needs path_out not to exist). */
int sw_sql_snapshot(const char *path_db, const char *path_out, struct sw_error *err) SW_MUSTCHECK;

#endif
