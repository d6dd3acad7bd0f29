// Cache hints for the benchmark harnesses' file walks; Swift has no prefetch of its own.
#ifndef CACHE_HINTS_H
#define CACHE_HINTS_H

/// Asks the CPU to bring the cache line at `address` in ahead of its use; never faults.
static inline void cache_hints_prefetch(const void *address) { __builtin_prefetch(address); }

#endif
