/* avx2_bf16_repro.c — AVX2 + FMA + F16C, bfloat16 storage: the reproducible kernels (ACTFN_REPRO)
 * against vec_avx2.h with 16-bit loads and stores; defines actfn_ktab_bf16_avx2_repro. */
#define ACTFN_TYPE_F32 1
#define ACTFN_STORAGE_BF16 1
#define ACTFN_REPRO 1
#include <sleef.h>

#include "vec_avx2.h"
#define ACTFN_KTAB actfn_ktab_bf16_avx2_repro
#define REPRO_U10(fn) Sleef_finz_##fn##f8_u10avx2
#define REPRO_U15(fn) Sleef_finz_##fn##f8_u15avx2
#include "kernels/kernels.h"
