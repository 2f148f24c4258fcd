#include "base/mem.h"

#include <malloc.h>

void sw_mem_tune(void)
{
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_TOP_PAD, 64 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    /* No fastbins: the per-thread tcache already serves small blocks, and every large
     * request (a page split, a dump buffer) made glibc merge the fastbins first. */
    mallopt(M_MXFAST, 0);
}
