/* neon_f32.c — the NEON float kernels: the shared kernel bodies compiled
 * against the float32x4_t vocabulary; defines actfn_ktab_f32_neon. */
#define ACTFN_TYPE_F32 1
#include "vec_neon.h"
#define ACTFN_KTAB actfn_ktab_f32_neon
#include "kernels/kernels.h"
