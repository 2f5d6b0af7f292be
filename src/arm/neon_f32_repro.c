/* neon_f32_repro.c — NEON, float: the reproducible kernels (kernels/repro.h)
 * compiled against vec_neon.h with SLEEF's deterministic functions; defines
 * actfn_ktab_f32_neon_repro. Natively the advsimd functions take whole
 * vectors; in the SIMDe build on x86 the scalar finz functions (the same
 * bits by SLEEF's guarantee) are applied lane by lane. */
#define ACTFN_TYPE_F32 1
#include <sleef.h>

#include "vec_neon.h"
#undef ACTFN_KTAB
#define ACTFN_KTAB actfn_ktab_f32_neon_repro
#ifdef ACTFN_NEON_SIMDE
#define REPRO_SLEEF_LANEWISE 1
#define REPRO_U10(fn) Sleef_finz_##fn##f1_u10purecfma
#define REPRO_U15(fn) Sleef_finz_##fn##f1_u15purecfma
/* sleef.h declares purecfma only where FMA is the compiler's baseline. */
#define REPRO_DECLARE(fn) extern T fn(T);
REPRO_DECLARE(REPRO_U10(exp))
REPRO_DECLARE(REPRO_U10(expm1))
REPRO_DECLARE(REPRO_U10(log1p))
REPRO_DECLARE(REPRO_U10(log))
REPRO_DECLARE(REPRO_U10(tanh))
REPRO_DECLARE(REPRO_U15(erfc))
#else
#define REPRO_U10(fn) Sleef_finz_##fn##f4_u10advsimd
#define REPRO_U15(fn) Sleef_finz_##fn##f4_u15advsimd
#endif
#include "kernels/repro.h"
