/* avx2_f64_repro.c — AVX2 + FMA, double: the reproducible kernels (kernels/kernels.h with ACTFN_REPRO) compiled
 * against vec_avx2.h with SLEEF's deterministic functions; defines actfn_ktab_f64_avx2_repro. */
#define ACTFN_TYPE_F64 1
#define ACTFN_REPRO 1
#include <sleef.h>

#include "vec_avx2.h"
#define ACTFN_KTAB actfn_ktab_f64_avx2_repro
#define REPRO_U10(fn) Sleef_finz_##fn##d4_u10avx2
#define REPRO_U15(fn) Sleef_finz_##fn##d4_u15avx2
#include "kernels/kernels.h"
