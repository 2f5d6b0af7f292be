/* avx512bf16_bf16.c — AVX-512 with AVX512_BF16 (vcvtneps2bf16), bfloat16 storage (SPEC §9): the float kernel bodies
 * against vec_avx512.h with 16-bit loads and stores (kernels/storage.h); defines actfn_ktab_bf16_avx512bf16. */
#define ACTFN_TYPE_F32 1
#define ACTFN_STORAGE_BF16 1
#define ACTFN_BF16_NATIVE 1
#include "vec_avx512.h"
#define ACTFN_KTAB actfn_ktab_bf16_avx512bf16
#include "kernels/kernels.h"
