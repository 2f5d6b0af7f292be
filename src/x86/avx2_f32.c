/* avx2_f32.c — the AVX2 + FMA float kernels: the shared kernel bodies compiled
 * against vec_avx2.h; defines actfn_ktab_f32_avx2. */
#define ACTFN_TYPE_F32 1
#include "vec_avx2.h"
#define ACTFN_KTAB actfn_ktab_f32_avx2
#include "kernels/kernels.h"
