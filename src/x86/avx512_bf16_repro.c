/* avx512_bf16_repro.c — AVX-512, bfloat16 storage: the reproducible kernels (ACTFN_REPRO)
 * against vec_avx512.h with 16-bit loads and stores; defines actfn_ktab_bf16_avx512_repro. */
#define ACTFN_TYPE_F32 1
#define ACTFN_STORAGE_BF16 1
#define ACTFN_REPRO 1
#include <sleef.h>

#include "vec_avx512.h"
#define ACTFN_KTAB actfn_ktab_bf16_avx512_repro
#define REPRO_U10(fn) Sleef_finz_##fn##f16_u10avx512f
#define REPRO_U15(fn) Sleef_finz_##fn##f16_u15avx512f
#include "kernels/kernels.h"
