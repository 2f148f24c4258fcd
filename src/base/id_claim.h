/* The claim of an id by a holder in a store every node shares (cluster mode: product ids across
 * partitions, src/cluster/ids.c), as the HTTP layer's hooks report it (http.h). */
#ifndef SW_BASE_ID_CLAIM_H
#define SW_BASE_ID_CLAIM_H

#include <stdbool.h>
#include <stdint.h>

struct sw_id_claim {
    char holder[128]; /* whose the id is */
    uint64_t rev;     /* the claim's revision (compare-and-set) */
    int64_t age_ms;   /* how long it has been held */
    bool created;     /* this call made it */
};

#endif
