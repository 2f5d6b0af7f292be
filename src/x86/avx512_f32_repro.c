/* avx512_f32_repro.c — AVX-512, float: the reproducible kernels (kernels/kernels.h with ACTFN_REPRO) compiled
 * against vec_avx512.h with SLEEF's deterministic functions; defines actfn_ktab_f32_avx512_repro. */
#define ACTFN_TYPE_F32 1
#define ACTFN_REPRO 1
#include <sleef.h>

#include "vec_avx512.h"
#define ACTFN_KTAB actfn_ktab_f32_avx512_repro
#define REPRO_U10(fn) Sleef_finz_##fn##f16_u10avx512f
#define REPRO_U15(fn) Sleef_finz_##fn##f16_u15avx512f
#include "kernels/kernels.h"
