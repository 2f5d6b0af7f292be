/* avx2_f16.c — AVX2 + FMA + F16C, binary16 storage (SPEC §9): the float kernel bodies
 * against vec_avx2.h with 16-bit loads and stores (kernels/storage.h); defines actfn_ktab_f16_avx2. */
#define ACTFN_TYPE_F32 1
#define ACTFN_STORAGE_F16 1
#include "vec_avx2.h"
#define ACTFN_KTAB actfn_ktab_f16_avx2
#include "kernels/kernels.h"
