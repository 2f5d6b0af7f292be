/* avx512_f64.c — the AVX-512 double kernels: the shared kernel bodies compiled
 * against vec_avx512.h; defines actfn_ktab_f64_avx512. */
#define ACTFN_TYPE_F64 1
#include "vec_avx512.h"
#define ACTFN_KTAB actfn_ktab_f64_avx512
#include "kernels/kernels.h"
