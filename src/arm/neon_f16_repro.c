/* neon_f16_repro.c — NEON, binary16 storage: the reproducible kernels (ACTFN_REPRO)
 * against vec_neon.h with 16-bit loads and stores; defines actfn_ktab_f16_neon_repro. */
#define ACTFN_TYPE_F32 1
#define ACTFN_STORAGE_F16 1
#define ACTFN_REPRO 1
#include <sleef.h>

#include "vec_neon.h"
#define ACTFN_KTAB actfn_ktab_f16_neon_repro
#ifdef ACTFN_NEON_SIMDE
#define REPRO_SLEEF_PURECFMA 1
#else
#define REPRO_U10(fn) Sleef_finz_##fn##f4_u10advsimd
#define REPRO_U15(fn) Sleef_finz_##fn##f4_u15advsimd
#endif
#include "kernels/kernels.h"
