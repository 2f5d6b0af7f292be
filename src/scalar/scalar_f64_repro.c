/* scalar_f64_repro.c — the scalar path, double: the reproducible kernels (kernels/kernels.h with ACTFN_REPRO) compiled
 * against vec_scalar.h with SLEEF's deterministic scalar functions; defines actfn_ktab_f64_scalar_repro. */
#define ACTFN_TYPE_F64 1
#define ACTFN_REPRO 1
#include <sleef.h>

#include "vec_scalar.h"
#define ACTFN_KTAB actfn_ktab_f64_scalar_repro
#define REPRO_SLEEF_PURECFMA 1
#include "kernels/kernels.h"
