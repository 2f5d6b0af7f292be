/*
 * rel_isa.h — which ISA the library should be using (SPEC §6), and its
 * default thread count (SPEC §10), as the reliability tests work them out
 * independently of dispatch.c and pool.c.
 */
#ifndef ACTFN_REL_ISA_H
#define ACTFN_REL_ISA_H

#include <stdlib.h>
#include <string.h>

#include "actfn.h"

static const char *const rel_isa_names[] = {"scalar", "avx2", "avx512", "neon"};
#define REL_ISA_COUNT 4

/* The automatic choice: the first supported ISA in this preference order.
 * NEON is chosen only where it is native (AArch64); the SIMDe build on x86
 * reports it as supported but never picks it. */
static inline actfn_isa rel_expected_best(void)
{
    static const actfn_isa order[] = {
        ACTFN_ISA_AVX512,
        ACTFN_ISA_AVX2,
#if defined(__aarch64__)
        ACTFN_ISA_NEON,
#endif
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (actfn_isa_supported(order[i]))
            return order[i];
    return ACTFN_ISA_SCALAR;
}

/* What a fresh process must be using given its own ACTFN_ISA: the named ISA
 * when supported, else (unset, "auto", unknown, unsupported) the best. */
static inline actfn_isa rel_expected_start_isa(void)
{
    const char *env = getenv("ACTFN_ISA");
    if (env)
        for (int i = 0; i < REL_ISA_COUNT; i++)
            if (strcmp(env, rel_isa_names[i]) == 0 && actfn_isa_supported((actfn_isa)i))
                return (actfn_isa)i;
    return rel_expected_best();
}

#ifdef _GNU_SOURCE /* sched_getaffinity: test_dispatch.c and test_pool.c */
#include <sched.h>

/* The default thread count: the CPUs of this process's affinity mask. */
static inline int rel_affinity_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return 1;
}
#endif

#endif /* ACTFN_REL_ISA_H */
