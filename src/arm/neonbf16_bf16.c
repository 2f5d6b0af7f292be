/* neonbf16_bf16.c — NEON with FEAT_BF16 (BFCVTN), bfloat16 storage (SPEC §9): the float kernel bodies
 * against vec_neon.h with 16-bit loads and stores (kernels/storage.h); defines actfn_ktab_bf16_neonbf16. */
#define ACTFN_TYPE_F32 1
#define ACTFN_STORAGE_BF16 1
#define ACTFN_BF16_NATIVE 1
#include "vec_neon.h"
#define ACTFN_KTAB actfn_ktab_bf16_neonbf16
#include "kernels/kernels.h"
