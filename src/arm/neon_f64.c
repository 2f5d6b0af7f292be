/* neon_f64.c — the NEON double kernels: the shared kernel bodies compiled
 * against the float64x2_t vocabulary; defines actfn_ktab_f64_neon. */
#define ACTFN_TYPE_F64 1
#include "vec_neon.h"
#define ACTFN_KTAB actfn_ktab_f64_neon
#include "kernels/kernels.h"
