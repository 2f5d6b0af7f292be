/*
 * rel_isa.h — which ISA the library should be using, as the reliability
 * tests work it out independently of dispatch.c (SPEC §6).
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

#endif /* ACTFN_REL_ISA_H */
