/* Process-wide allocator settings, called once by each program's main. */
#ifndef SW_BASE_MEM_H
#define SW_BASE_MEM_H

/* glibc's defaults trim the heap and fall back to mmap for large blocks; SQLite's page-split
 * scratch buffers and jansson's dump buffers then make the writer grow and shrink the heap
 * over and over (sysmalloc, malloc_consolidate, page faults in profiles). Keeping up to
 * 256 MiB of freed heap, growing it 64 MiB at a time and serving blocks below 32 MiB from the
 * heap measured +10-15% commands/s (bench/RESULTS.md). Fastbins are off: malloc_consolidate
 * was still 5-6% of the writer's time, and without it creates and updates ran faster in each
 * of four A/B pairs (2026-11-23, bench/RESULTS.md). */
void sw_mem_tune(void);

#endif
