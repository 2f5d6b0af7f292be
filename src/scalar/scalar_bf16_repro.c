/* scalar_bf16_repro.c — the scalar path, bfloat16 storage: the reproducible kernels (ACTFN_REPRO)
 * against vec_scalar.h with 16-bit loads and stores; defines actfn_ktab_bf16_scalar_repro. */
#define ACTFN_TYPE_F32 1
#define ACTFN_STORAGE_BF16 1
#define ACTFN_REPRO 1
#include <sleef.h>

#include "vec_scalar.h"
#define ACTFN_KTAB actfn_ktab_bf16_scalar_repro
#define REPRO_SLEEF_PURECFMA 1
#include "kernels/kernels.h"
