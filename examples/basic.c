/*
 * basic.c — a first program with libactfn: a forward and a backward pass of
 * GELU on a small batch, a softmax over its rows, and what an error looks
 * like. Build it against an installed libactfn with
 *
 *     cc basic.c $(pkg-config --cflags --libs actfn) -o basic
 *
 * or with CMake through find_package(actfn) (examples/CMakeLists.txt).
 *
 * Every actfn call returns ACTFN_OK (0) or a negative status; actfn_strerror
 * turns a status into a one-line message.
 */
#include <stdio.h>
#include <stdlib.h>

#include <actfn.h>

/* Print the message of a failed call and say whether it succeeded. */
static int check(int status, const char *what)
{
    if (status != ACTFN_OK) {
        fprintf(stderr, "%s failed: %s\n", what, actfn_strerror(status));
        return 0;
    }
    return 1;
}

static void print_row(const char *name, const float *v, size_t n)
{
    printf("%-9s", name);
    for (size_t i = 0; i < n; i++)
        printf(" %9.5f", v[i]);
    printf("\n");
}

int main(void)
{
    enum { ROWS = 2, COLS = 4, N = ROWS * COLS };
    const float x[N] = {-2.0f, -0.5f, 0.0f, 1.5f, 3.0f, -1.0f, 0.25f, 2.0f};
    float y[N], dy[N], dx[N], probs[N];

    printf("libactfn %s, kernels: %s\n", actfn_version(), actfn_isa_name(actfn_get_isa()));

    /* Forward: y = gelu(x). */
    if (!check(actfn_gelu_f32(x, y, N), "gelu forward"))
        return EXIT_FAILURE;

    /* Backward: given the gradient of the loss with respect to y (here all
     * ones), get the gradient with respect to x. GELU's backward takes the
     * forward input x. */
    for (size_t i = 0; i < N; i++)
        dy[i] = 1.0f;
    if (!check(actfn_gelu_backward_f32(x, dy, dx, N), "gelu backward"))
        return EXIT_FAILURE;

    /* Softmax along each row of the (ROWS, COLS) array; in place is allowed
     * when the output is exactly the input array. */
    for (size_t i = 0; i < N; i++)
        probs[i] = y[i];
    if (!check(actfn_softmax_f32(probs, probs, ROWS, COLS), "softmax"))
        return EXIT_FAILURE;

    print_row("x", x, N);
    print_row("gelu(x)", y, N);
    print_row("gelu'(x)", dx, N);
    print_row("softmax", probs, N);

    /* A deliberate error: an output that partially overlaps its input (here
     * shifted by one element) is rejected, and nothing is written. */
    int status = actfn_relu_f32(y, y + 1, N - 1);
    if (status != ACTFN_OK)
        printf("expected error: %s (status %d)\n", actfn_strerror(status), status);
    else
        printf("unexpected success of an overlapping call\n");

    /* Parameters are checked too: softplus with beta = 0 is invalid. */
    status = actfn_softplus_f32(x, y, N, 0.0f, 20.0f);
    if (status != ACTFN_OK)
        printf("expected error: %s (status %d)\n", actfn_strerror(status), status);

    return EXIT_SUCCESS;
}
