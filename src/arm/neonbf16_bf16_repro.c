/* neonbf16_bf16_repro.c — NEON with FEAT_BF16 (BFCVTN), bfloat16 storage: the reproducible kernels (ACTFN_REPRO)
 * against vec_neon.h with 16-bit loads and stores; defines actfn_ktab_bf16_neonbf16_repro. */
#define ACTFN_TYPE_F32 1
#define ACTFN_STORAGE_BF16 1
#define ACTFN_BF16_NATIVE 1
#define ACTFN_REPRO 1
#include <sleef.h>

#include "vec_neon.h"
#define ACTFN_KTAB actfn_ktab_bf16_neonbf16_repro
#define REPRO_U10(fn) Sleef_finz_##fn##f4_u10advsimd
#define REPRO_U15(fn) Sleef_finz_##fn##f4_u15advsimd
#include "kernels/kernels.h"
