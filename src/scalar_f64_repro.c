/* scalar_f64_repro.c — the scalar path, double: the reproducible kernels (kernels/repro.h) compiled
 * against vec_scalar.h with SLEEF's deterministic functions; defines actfn_ktab_f64_scalar_repro. */
#define ACTFN_TYPE_F64 1
#include <sleef.h>

#include "vec_scalar.h"
#undef ACTFN_KTAB
#define ACTFN_KTAB actfn_ktab_f64_scalar_repro
#define REPRO_U10(fn) Sleef_finz_##fn##d1_u10purecfma
#define REPRO_U15(fn) Sleef_finz_##fn##d1_u15purecfma
/* sleef.h declares the purecfma functions only where FMA is the compiler's
 * baseline (FP_FAST_FMA); this unit is built without -mfma, and dispatch.c
 * uses its table only on CPUs with FMA. Identical redeclarations are valid
 * where sleef.h has them too. */
#define REPRO_DECLARE(fn) extern T fn(T);
REPRO_DECLARE(REPRO_U10(exp))
REPRO_DECLARE(REPRO_U10(expm1))
REPRO_DECLARE(REPRO_U10(log1p))
REPRO_DECLARE(REPRO_U10(log))
REPRO_DECLARE(REPRO_U10(tanh))
REPRO_DECLARE(REPRO_U15(erfc))
#include "kernels/repro.h"
