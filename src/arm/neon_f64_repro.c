/* neon_f64_repro.c — NEON, double: the reproducible kernels (kernels/kernels.h with ACTFN_REPRO)
 * compiled against vec_neon.h with SLEEF's deterministic functions; defines
 * actfn_ktab_f64_neon_repro. Natively the advsimd functions take whole
 * vectors; in the SIMDe build on x86 the scalar finz functions (the same
 * bits by SLEEF's guarantee) are applied lane by lane. */
#define ACTFN_TYPE_F64 1
#define ACTFN_REPRO 1
#include <sleef.h>

#include "vec_neon.h"
#define ACTFN_KTAB actfn_ktab_f64_neon_repro
#ifdef ACTFN_NEON_SIMDE
#define REPRO_SLEEF_PURECFMA 1
#else
#define REPRO_U10(fn) Sleef_finz_##fn##d2_u10advsimd
#define REPRO_U15(fn) Sleef_finz_##fn##d2_u15advsimd
#endif
#include "kernels/kernels.h"
