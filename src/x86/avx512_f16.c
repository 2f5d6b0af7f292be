/* avx512_f16.c — AVX-512, binary16 storage (SPEC §9): the float kernel bodies
 * against vec_avx512.h with 16-bit loads and stores (kernels/storage.h); defines actfn_ktab_f16_avx512. */
#define ACTFN_TYPE_F32 1
#define ACTFN_STORAGE_F16 1
#include "vec_avx512.h"
#define ACTFN_KTAB actfn_ktab_f16_avx512
#include "kernels/kernels.h"
