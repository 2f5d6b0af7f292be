/* avx2_f64.c — the AVX2 + FMA double kernels: the shared kernel bodies compiled
 * against vec_avx2.h; defines actfn_ktab_f64_avx2. */
#define ACTFN_TYPE_F64 1
#include "vec_avx2.h"
#define ACTFN_KTAB actfn_ktab_f64_avx2
#include "kernels/kernels.h"
