/* avx512_f32.c — the AVX-512 float kernels: the shared kernel bodies compiled
 * against vec_avx512.h; defines actfn_ktab_f32_avx512. */
#define ACTFN_TYPE_F32 1
#include "vec_avx512.h"
#define ACTFN_KTAB actfn_ktab_f32_avx512
#include "kernels/kernels.h"
