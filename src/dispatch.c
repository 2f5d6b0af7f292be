/*
 * dispatch.c — which kernel table calls use.
 *
 * CPU features are read once, on first use (pthread_once), and the best
 * table this CPU, OS and build can run becomes the active one; ACTFN_ISA may
 * override that choice at start-up and actfn_set_isa at any time. The mode
 * (fast or reproducible, SPEC §8) selects between two tables per ISA:
 * ACTFN_MODE at start-up, actfn_set_mode at any time. This file
 * is compiled without any -m flag, so nothing here can execute an AVX
 * instruction before the check that it is allowed (see src/meson.build).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#define ACTFN_X86 1
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif

/* ---- The tables this build contains ------------------------------------ */

/* One entry per ISA unit the build contains: each ISA unit defines its four
 * tables (fast and reproducible, f32 and f64) together, so one #ifdef per
 * ISA decides them all. `t` is the type suffix, `mode` "" or "_repro". */
#define ENTRY_SCALAR(t, mode) [ACTFN_ISA_SCALAR] = &actfn_ktab_##t##_scalar##mode,
#ifdef ACTFN_HAVE_AVX2
#define ENTRY_AVX2(t, mode) [ACTFN_ISA_AVX2] = &actfn_ktab_##t##_avx2##mode,
#else
#define ENTRY_AVX2(t, mode)
#endif
#ifdef ACTFN_HAVE_AVX512
#define ENTRY_AVX512(t, mode) [ACTFN_ISA_AVX512] = &actfn_ktab_##t##_avx512##mode,
#else
#define ENTRY_AVX512(t, mode)
#endif
#ifdef ACTFN_HAVE_NEON
#define ENTRY_NEON(t, mode) [ACTFN_ISA_NEON] = &actfn_ktab_##t##_neon##mode,
#else
#define ENTRY_NEON(t, mode)
#endif
#define ISA_ROW(t, mode) {ENTRY_SCALAR(t, mode) ENTRY_AVX2(t, mode) ENTRY_AVX512(t, mode) ENTRY_NEON(t, mode)}

/* [mode][isa] per type: the fast tables, and the reproducible ones (SPEC §8). */
#define TYPE_TABLES(t, T, pt)                                                              \
    static const struct actfn_ktab_##t *const ktab_##t[ACTFN_MODE_COUNT][ACTFN_ISA_COUNT] = { \
        [ACTFN_MODE_FAST] = ISA_ROW(t, ),                                                  \
        [ACTFN_MODE_REPRODUCIBLE] = ISA_ROW(t, _repro),                                    \
    };
ACTFN_TYPES(TYPE_TABLES)
#undef TYPE_TABLES

/* bf16 where the ISA has a native conversion: the same kernels, rounding
 * with vcvtneps2bf16 (AVX-512 + AVX512_BF16) or BFCVTN (NEON + FEAT_BF16);
 * the tables above round with integer operations. [mode][isa]. */
static const struct actfn_ktab_bf16 *const ktab_bf16_native[ACTFN_MODE_COUNT][ACTFN_ISA_COUNT] = {
#ifdef ACTFN_HAVE_AVX512BF16
    [ACTFN_MODE_FAST][ACTFN_ISA_AVX512] = &actfn_ktab_bf16_avx512bf16,
    [ACTFN_MODE_REPRODUCIBLE][ACTFN_ISA_AVX512] = &actfn_ktab_bf16_avx512bf16_repro,
#endif
#ifdef ACTFN_HAVE_NEONBF16
    [ACTFN_MODE_FAST][ACTFN_ISA_NEON] = &actfn_ktab_bf16_neonbf16,
    [ACTFN_MODE_REPRODUCIBLE][ACTFN_ISA_NEON] = &actfn_ktab_bf16_neonbf16_repro,
#endif
};

static const char *const mode_names[ACTFN_MODE_COUNT] = {
    [ACTFN_MODE_FAST] = "fast",
    [ACTFN_MODE_REPRODUCIBLE] = "reproducible",
};

static const char *const isa_names[ACTFN_ISA_COUNT] = {
    [ACTFN_ISA_SCALAR] = "scalar",
    [ACTFN_ISA_AVX2] = "avx2",
    [ACTFN_ISA_AVX512] = "avx512",
    [ACTFN_ISA_NEON] = "neon",
};

/* Preference order for the automatic choice, best first. NEON is listed only
 * where it is native: the SIMDe build on x86 is for testing, never chosen. */
static const actfn_isa auto_order[] = {
    ACTFN_ISA_AVX512,
    ACTFN_ISA_AVX2,
#if defined(__aarch64__) && !defined(ACTFN_NEON_SIMDE)
    ACTFN_ISA_NEON,
#endif
    ACTFN_ISA_SCALAR,
};

/* ---- CPU detection ------------------------------------------------------ */

#ifdef ACTFN_X86
static unsigned long long read_xcr0(void)
{
    unsigned int lo, hi;
    /* xgetbv with ecx = 0, written as bytes so no -mxsave flag is needed. */
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}
#endif

/* Set by cpu_isa_mask: 0 on an x86-64 CPU without FMA, whose scalar path
 * cannot run SLEEF's purecfma functions (so no reproducible mode there). */
static int cpu_has_fma = 1;

/* Set by cpu_isa_mask: the conversion extensions of SPEC §9. Every CPU
 * with AVX2 known has F16C (and AVX-512F has its conversions); without it,
 * f16 calls on AVX2 take the scalar path. The bf16 conversions are newer:
 * AVX512_BF16 (Cooper Lake, Sapphire Rapids, Zen 4) and AArch64's FEAT_BF16
 * (Armv8.6; Neoverse V1/N2, Apple M2). Bit i of cpu_bf16_native: ISA i has
 * its native bf16 conversion on this CPU. */
static int cpu_has_f16c = 0;
static unsigned cpu_bf16_native = 0;

/* Bit i set: the CPU and OS can run ISA i (the build may still lack it). */
static unsigned cpu_isa_mask(void)
{
    unsigned mask = 1u << ACTFN_ISA_SCALAR;
#ifdef ACTFN_X86
    unsigned a, b, c, d;
    cpu_has_fma = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return mask;
    const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, f16c = (c >> 29) & 1;
    cpu_has_fma = fma && osxsave && avx && (read_xcr0() & 0x6) == 0x6;
    if (!osxsave || !avx)
        return mask;
    const unsigned long long xcr0 = read_xcr0();
    const int os_ymm = (xcr0 & 0x6) == 0x6;    /* XMM and YMM state */
    const int os_zmm = (xcr0 & 0xe0) == 0xe0;  /* opmask, ZMM_Hi256, Hi16_ZMM */
    if (__get_cpuid_max(0, NULL) < 7)
        return mask;
    __cpuid_count(7, 0, a, b, c, d);
    const int avx2 = (b >> 5) & 1;
    const int avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1;
    const int avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    if (os_ymm && avx2 && fma)
        mask |= 1u << ACTFN_ISA_AVX2;
    if (os_ymm && os_zmm && avx2 && fma && avx512f && avx512dq && avx512bw && avx512vl)
        mask |= 1u << ACTFN_ISA_AVX512;
    cpu_has_f16c = os_ymm && f16c;
    if (a >= 1) { /* leaf 7 subleaf 1: EAX bit 5 is AVX512_BF16 */
        unsigned a1, b1, c1, d1;
        __cpuid_count(7, 1, a1, b1, c1, d1);
        if ((mask >> ACTFN_ISA_AVX512 & 1) && ((a1 >> 5) & 1))
            cpu_bf16_native |= 1u << ACTFN_ISA_AVX512;
    }
#endif
#if defined(__aarch64__)
    mask |= 1u << ACTFN_ISA_NEON; /* Advanced SIMD is baseline on AArch64 */
#if defined(__linux__)
    if (getauxval(AT_HWCAP2) & (1ul << 14)) /* HWCAP2_BF16 */
        cpu_bf16_native |= 1u << ACTFN_ISA_NEON;
#endif
#endif
#ifdef ACTFN_NEON_SIMDE
    mask |= 1u << ACTFN_ISA_NEON; /* portable C through SIMDe runs anywhere */
#endif
    return mask;
}

/* ---- State: set once by init, then only by actfn_set_isa / _set_mode ---- */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static unsigned supported_mask;      /* written once inside init, read after */
static _Atomic int active_isa = ACTFN_ISA_SCALAR;
static _Atomic int active_mode = ACTFN_MODE_FAST;
static _Atomic int bf16_native = 0; /* native bf16 tables where an ISA has them */

static int isa_valid(actfn_isa isa)
{
    return (unsigned)isa < ACTFN_ISA_COUNT;
}

static int runnable(unsigned cpu_mask, actfn_isa isa)
{
    /* ISA_ROW fills all four tables of an ISA or none: one is enough to ask. */
    return isa_valid(isa) && ktab_f32[ACTFN_MODE_FAST][isa] && ((cpu_mask >> isa) & 1);
}

static actfn_isa best_isa(unsigned mask)
{
    for (size_t i = 0; i < sizeof auto_order / sizeof auto_order[0]; i++)
        if (runnable(mask, auto_order[i]))
            return auto_order[i];
    return ACTFN_ISA_SCALAR;
}

static void init(void)
{
    const unsigned mask = cpu_isa_mask();
    supported_mask = mask;
    actfn_isa isa = best_isa(mask);

    const char *env = getenv("ACTFN_ISA");
    if (env && *env && strcmp(env, "auto") != 0) {
        int found = -1;
        for (int i = 0; i < ACTFN_ISA_COUNT; i++)
            if (strcmp(env, isa_names[i]) == 0)
                found = i;
        if (found < 0)
            fprintf(stderr, "actfn: warning: unknown ACTFN_ISA=%s; using auto (%s)\n", env, isa_names[isa]);
        else if (!runnable(mask, (actfn_isa)found))
            fprintf(stderr, "actfn: warning: ACTFN_ISA=%s is not supported here; using auto (%s)\n", env,
                    isa_names[isa]);
        else
            isa = (actfn_isa)found;
    }
    atomic_store_explicit(&active_isa, isa, memory_order_release);
    atomic_store_explicit(&bf16_native, 1, memory_order_release);

    const char *mode_env = getenv("ACTFN_MODE");
    if (mode_env && *mode_env && strcmp(mode_env, mode_names[ACTFN_MODE_FAST]) != 0) {
        if (strcmp(mode_env, mode_names[ACTFN_MODE_REPRODUCIBLE]) != 0)
            fprintf(stderr, "actfn: warning: unknown ACTFN_MODE=%s; using fast\n", mode_env);
        else if (!cpu_has_fma)
            fprintf(stderr, "actfn: warning: ACTFN_MODE=reproducible needs FMA, which this CPU lacks; using fast\n");
        else
            atomic_store_explicit(&active_mode, ACTFN_MODE_REPRODUCIBLE, memory_order_release);
    }
}

static inline actfn_isa current(void)
{
    pthread_once(&init_once, init);
    return (actfn_isa)atomic_load_explicit(&active_isa, memory_order_acquire);
}

static inline actfn_mode current_mode(void)
{
    pthread_once(&init_once, init);
    return (actfn_mode)atomic_load_explicit(&active_mode, memory_order_acquire);
}

/* ---- Internal accessors (src/internal.h) -------------------------------- */

/* The table of a type for an ISA and mode, where the build has it (the CPU
 * is the caller's to check): the conversion flavour decided here. */
static const struct actfn_ktab_f32 *table_f32(actfn_isa isa, actfn_mode mode) { return ktab_f32[mode][isa]; }
static const struct actfn_ktab_f64 *table_f64(actfn_isa isa, actfn_mode mode) { return ktab_f64[mode][isa]; }

/* ISA `isa` has a native bf16 table in this build and on this CPU. */
static int native_bf16_runs(actfn_isa isa)
{
    return ktab_bf16_native[ACTFN_MODE_FAST][isa] && ((cpu_bf16_native >> isa) & 1);
}

static const struct actfn_ktab_bf16 *table_bf16(actfn_isa isa, actfn_mode mode)
{
    if (native_bf16_runs(isa) && atomic_load_explicit(&bf16_native, memory_order_relaxed))
        return ktab_bf16_native[mode][isa];
    return ktab_bf16[mode][isa];
}

static const struct actfn_ktab_f16 *table_f16(actfn_isa isa, actfn_mode mode)
{
    if (isa == ACTFN_ISA_AVX2 && !cpu_has_f16c)
        isa = ACTFN_ISA_SCALAR;
    return ktab_f16[mode][isa];
}

#define TYPE_ACCESSORS(t, T, pt)                                                                 \
    const struct actfn_ktab_##t *actfn_active_##t(void)                                          \
    {                                                                                            \
        const actfn_isa isa = current();                                                         \
        return table_##t(isa, current_mode());                                                   \
    }                                                                                            \
    const struct actfn_ktab_##t *actfn_ktab_##t##_for_mode(actfn_isa isa, actfn_mode mode)       \
    {                                                                                            \
        return actfn_isa_supported(isa) && (unsigned)mode < ACTFN_MODE_COUNT ? table_##t(isa, mode) : NULL; \
    }                                                                                            \
    const struct actfn_ktab_##t *actfn_ktab_##t##_for(actfn_isa isa)                             \
    {                                                                                            \
        return actfn_ktab_##t##_for_mode(isa, current_mode());                                   \
    }
ACTFN_TYPES(TYPE_ACCESSORS)
#undef TYPE_ACCESSORS

/* Whether any ISA here has a native bf16 table. */
static int any_native_bf16(void)
{
    for (int i = 0; i < ACTFN_ISA_COUNT; i++)
        if (native_bf16_runs((actfn_isa)i))
            return 1;
    return 0;
}

void actfn_internal_set_bf16_native(int enable)
{
    pthread_once(&init_once, init);
    atomic_store_explicit(&bf16_native, enable && any_native_bf16(), memory_order_release);
}

int actfn_internal_bf16_native(void)
{
    pthread_once(&init_once, init);
    return atomic_load_explicit(&bf16_native, memory_order_acquire) && any_native_bf16();
}

int actfn_internal_bf16_native_isa(actfn_isa isa)
{
    pthread_once(&init_once, init);
    return isa_valid(isa) && native_bf16_runs(isa);
}

/* ---- Public API (SPEC §6) ----------------------------------------------- */

actfn_isa actfn_get_isa(void)
{
    return current();
}

int actfn_isa_supported(actfn_isa isa)
{
    pthread_once(&init_once, init);
    return runnable(supported_mask, isa);
}

int actfn_set_isa(actfn_isa isa)
{
    if (!actfn_isa_supported(isa))
        return ACTFN_ERR_UNSUPPORTED;
    atomic_store_explicit(&active_isa, isa, memory_order_release);
    return ACTFN_OK;
}

const char *actfn_isa_name(actfn_isa isa)
{
    return isa_valid(isa) ? isa_names[isa] : "unknown";
}

actfn_mode actfn_get_mode(void)
{
    return current_mode();
}

int actfn_set_mode(actfn_mode mode)
{
    if ((unsigned)mode >= ACTFN_MODE_COUNT)
        return ACTFN_ERR_PARAM;
    pthread_once(&init_once, init);
    if (mode == ACTFN_MODE_REPRODUCIBLE && !cpu_has_fma)
        return ACTFN_ERR_UNSUPPORTED;
    atomic_store_explicit(&active_mode, mode, memory_order_release);
    return ACTFN_OK;
}

const char *actfn_version(void)
{
    return ACTFN_VERSION;
}
