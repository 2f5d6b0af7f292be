/*
 * test_dispatch.c — the run-time dispatch API of SPEC §6, and the
 * environment variables read at first use: ACTFN_ISA, and ACTFN_NUM_THREADS
 * (SPEC §10; the thread pool itself is tested in test_pool.c).
 *
 * In-process checks: the default ISA is the best one this CPU and build can
 * run (cross-checked against the compiler's own CPU detection on x86),
 * actfn_isa_supported / actfn_isa_name / actfn_version, and actfn_set_isa
 * for every ISA and for out-of-range values (actfn_strerror is covered by
 * tests/test_errors.c).
 *
 * Both are read once, at first use, so each of their values is tested in a
 * fresh process: this program re-runs itself with `--child ...`, the variable
 * set, and stdout / stderr captured. The build's emulator (ACTFN_EXE_WRAPPER,
 * from the cross file) or ACTFN_TEST_WRAPPER, which overrides it (e.g.
 * "qemu-x86_64 -cpu Nehalem"), is put in front of that command, so the
 * children run under the same emulated CPU as the parent.
 * ACTFN_TEST_EXPECT_ISA=name makes the test also require that the automatic
 * choice is that ISA (scripts/stages/40-old-cpu.sh uses it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "actfn.h"
#include "config.h"
#include "rel_isa.h"

static const actfn_isa all_isas[] = {ACTFN_ISA_SCALAR, ACTFN_ISA_AVX2, ACTFN_ISA_AVX512, ACTFN_ISA_NEON};
#define N_ISAS (sizeof all_isas / sizeof all_isas[0])
/* Values outside the enum that the API must reject or name "unknown". */
static const int out_of_range_isas[] = {-1, 4, 5, 100, INT32_MAX, INT32_MIN};
#define N_OUT_OF_RANGE (sizeof out_of_range_isas / sizeof out_of_range_isas[0])

/* One small call through the active table, checked against values any ISA
 * must give exactly: relu is exact everywhere. */
static int relu_works(void)
{
    const float x[9] = {-2.0f, -0.0f, 0.0f, 0.5f, 1.0f, -1e30f, 1e30f, 3.0f, -7.0f};
    const float want[9] = {0.0f, 0.0f, 0.0f, 0.5f, 1.0f, 0.0f, 1e30f, 3.0f, 0.0f};
    float y[9];
    if (actfn_relu_f32(x, y, 9) != ACTFN_OK)
        return 0;
    return memcmp(y, want, sizeof y) == 0; /* bit for bit: relu(-0) is +0 */
}

/* ---- Child side: what a fresh process sees ------------------------------ */

/* `--child report`: first use of the library is an op call; print the ISA.
 * `--child set-first NAME`: first use is actfn_set_isa(NAME); print its
 * status and the ISA in use afterwards.
 * `--child threads`: first use is an op call; print the thread count. */
static int child_main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[2], "threads") == 0) {
        if (!relu_works())
            return 1;
        printf("%d\n", actfn_get_num_threads());
        return 0;
    }
    if (argc >= 3 && strcmp(argv[2], "report") == 0) {
        if (!relu_works()) {
            printf("relu-failed\n");
            return 1;
        }
        printf("%s\n", actfn_isa_name(actfn_get_isa()));
        return 0;
    }
    if (argc >= 4 && strcmp(argv[2], "set-first") == 0) {
        int isa = -1;
        for (size_t i = 0; i < N_ISAS; i++)
            if (strcmp(argv[3], rel_isa_names[i]) == 0)
                isa = (int)i;
        const int status = actfn_set_isa((actfn_isa)isa);
        printf("%d %s\n", status, actfn_isa_name(actfn_get_isa()));
        return relu_works() ? 0 : 1;
    }
    fprintf(stderr, "usage: %s --child report | --child set-first ISA | --child threads\n", argv[0]);
    return 2;
}

/* ---- Parent side: run a child and capture what it printed ---------------- */

struct child_result {
    int exit_code;        /* -1 if the child did not exit normally */
    char out[256];        /* its stdout */
    char err[4096];       /* its stderr */
    int err_lines;        /* newline count of stderr */
};

static void read_all(FILE *f, char *buf, size_t size)
{
    rewind(f);
    const size_t got = fread(buf, 1, size - 1, f);
    buf[got] = '\0';
}

/* Split the wrapper command on spaces into argv (at most 15 words). */
static int wrapper_words(char *copy, char **words, int max)
{
    int n = 0;
    for (char *tok = strtok(copy, " "); tok && n < max; tok = strtok(NULL, " "))
        words[n++] = tok;
    return n;
}

/* Run this program as `--child ARG1 [ARG2]` with the environment variable
 * `var` = value (NULL: unset). */
static struct child_result run_child(const char *var, const char *value, const char *arg1, const char *arg2)
{
    struct child_result r = {.exit_code = -1};
    FILE *out = tmpfile(), *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);

    static char self[4096];
    const ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(len > 0);
    self[len] = '\0';

    fflush(stdout);
    fflush(stderr);
    const pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (value)
            setenv(var, value, 1);
        else
            unsetenv(var);
        dup2(fileno(out), STDOUT_FILENO);
        dup2(fileno(err), STDERR_FILENO);
        char wrapper[1024] = "";
        const char *w = getenv("ACTFN_TEST_WRAPPER");
        if (!w)
            w = getenv("ACTFN_EXE_WRAPPER"); /* the build's emulator (tests/reliability/meson.build) */
        if (w)
            snprintf(wrapper, sizeof wrapper, "%s", w);
        char *argv[24];
        int n = wrapper_words(wrapper, argv, 16);
        argv[n++] = self;
        argv[n++] = (char *)"--child";
        argv[n++] = (char *)arg1;
        if (arg2)
            argv[n++] = (char *)arg2;
        argv[n] = NULL;
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    if (WIFEXITED(status))
        r.exit_code = WEXITSTATUS(status);
    read_all(out, r.out, sizeof r.out);
    read_all(err, r.err, sizeof r.err);
    fclose(out);
    fclose(err);
    for (const char *p = r.err; *p; p++)
        r.err_lines += *p == '\n';
    return r;
}

/* The child must report `want` and print exactly `want_err_lines` lines on
 * stderr (a warning must name ACTFN_ISA). */
static void expect_child_report(const char *isa_env, actfn_isa want, int want_err_lines)
{
    const struct child_result r = run_child("ACTFN_ISA", isa_env, "report", NULL);
    char want_out[64];
    snprintf(want_out, sizeof want_out, "%s\n", actfn_isa_name(want));
    if (r.exit_code != 0 || strcmp(r.out, want_out) != 0 || r.err_lines != want_err_lines)
        print_error("ACTFN_ISA=%s: exit %d, stdout \"%s\", stderr (%d lines) \"%s\"; wanted \"%s\", %d lines\n",
                    isa_env ? isa_env : "(unset)", r.exit_code, r.out, r.err_lines, r.err, actfn_isa_name(want),
                    want_err_lines);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, want_out);
    assert_int_equal(r.err_lines, want_err_lines);
    if (want_err_lines == 1)
        assert_non_null(strstr(r.err, "ACTFN_ISA"));
}

/* ---- Tests --------------------------------------------------------------- */

/* Restore the automatic choice after tests that switch ISAs. */
static int restore_default_isa(void **state)
{
    (void)state;
    return actfn_set_isa(rel_expected_best()) == ACTFN_OK ? 0 : -1;
}

static void default_is_best(void **state)
{
    (void)state;
    /* Honoured if the run was started with a supported ACTFN_ISA, else the
     * automatic choice. */
    assert_int_equal(actfn_get_isa(), rel_expected_start_isa());
    const char *expect = getenv("ACTFN_TEST_EXPECT_ISA");
    if (expect && *expect)
        assert_string_equal(actfn_isa_name(rel_expected_best()), expect);
    assert_true(relu_works());
}

/* On x86 the library's CPUID/XGETBV detection must agree with the
 * compiler's (libgcc / compiler-rt) for every ISA this build compiled. */
static void supported_matches_cpu(void **state)
{
    (void)state;
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_SCALAR), 1);
#if defined(__x86_64__)
    __builtin_cpu_init();
#ifdef ACTFN_HAVE_AVX2
    const int cpu_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_AVX2), cpu_avx2);
#else
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_AVX2), 0);
#endif
#ifdef ACTFN_HAVE_AVX512
    const int cpu_avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
                           __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_AVX512), cpu_avx512);
#else
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_AVX512), 0);
#endif
#ifdef ACTFN_HAVE_NEON
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_NEON), 1); /* SIMDe build */
#else
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_NEON), 0);
#endif
#elif defined(__aarch64__)
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_AVX2), 0);
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_AVX512), 0);
#ifdef ACTFN_HAVE_NEON
    assert_int_equal(actfn_isa_supported(ACTFN_ISA_NEON), 1);
#endif
#endif
    for (size_t i = 0; i < N_OUT_OF_RANGE; i++)
        assert_int_equal(actfn_isa_supported((actfn_isa)out_of_range_isas[i]), 0);
}

static void names_and_version(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ISAS; i++)
        assert_string_equal(actfn_isa_name(all_isas[i]), rel_isa_names[i]);
    for (size_t i = 0; i < N_OUT_OF_RANGE; i++)
        assert_string_equal(actfn_isa_name((actfn_isa)out_of_range_isas[i]), "unknown");

    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", ACTFN_VERSION_MAJOR, ACTFN_VERSION_MINOR, ACTFN_VERSION_PATCH);
    assert_string_equal(actfn_version(), want);
    assert_string_equal(actfn_version(), ACTFN_VERSION_STRING);
}

static void set_isa_each(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ISAS; i++) {
        /* Start each switch from a different ISA than the target when one
         * exists, so "get_isa follows" is not satisfied by accident. */
        assert_int_equal(actfn_set_isa(ACTFN_ISA_SCALAR), ACTFN_OK);
        if (all_isas[i] == ACTFN_ISA_SCALAR && rel_expected_best() != ACTFN_ISA_SCALAR)
            assert_int_equal(actfn_set_isa(rel_expected_best()), ACTFN_OK);
        const actfn_isa before = actfn_get_isa();
        const int status = actfn_set_isa(all_isas[i]);
        if (actfn_isa_supported(all_isas[i])) {
            assert_int_equal(status, ACTFN_OK);
            assert_int_equal(actfn_get_isa(), all_isas[i]);
            assert_true(relu_works());
        } else {
            assert_int_equal(status, ACTFN_ERR_UNSUPPORTED);
            assert_int_equal(actfn_get_isa(), before);
        }
    }
}

static void set_isa_out_of_range(void **state)
{
    (void)state;
    for (size_t s = 0; s < N_ISAS; s++) {
        if (!actfn_isa_supported(all_isas[s]))
            continue;
        assert_int_equal(actfn_set_isa(all_isas[s]), ACTFN_OK);
        for (size_t i = 0; i < N_OUT_OF_RANGE; i++) {
            assert_int_equal(actfn_set_isa((actfn_isa)out_of_range_isas[i]), ACTFN_ERR_UNSUPPORTED);
            assert_int_equal(actfn_get_isa(), all_isas[s]);
        }
        assert_true(relu_works());
    }
}

/* ACTFN_ISA=<each ISA>: honoured when supported, else one warning line and
 * the automatic choice. */
static void env_each_isa(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ISAS; i++) {
        if (actfn_isa_supported(all_isas[i]))
            expect_child_report(rel_isa_names[i], all_isas[i], 0);
        else
            expect_child_report(rel_isa_names[i], rel_expected_best(), 1);
    }
}

/* No override, "auto" and the empty string: the automatic choice, silently. */
static void env_auto(void **state)
{
    (void)state;
    expect_child_report(NULL, rel_expected_best(), 0);
    expect_child_report("auto", rel_expected_best(), 0);
    expect_child_report("", rel_expected_best(), 0);
}

/* Unknown values (names are case-sensitive and exact): one warning line,
 * then the automatic choice. */
static void env_unknown(void **state)
{
    (void)state;
    static const char *const unknown[] = {"bogus", "AVX2", "Scalar", "avx2 ", " scalar", "avx", "sse2",
                                          "avx512f", "autox", "0", "-1"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        expect_child_report(unknown[i], rel_expected_best(), 1);
}

/* actfn_set_isa as the very first call of a process: it must initialise the
 * library (reading ACTFN_ISA, with its warning if any) and then switch. */
static void set_isa_as_first_call(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ISAS; i++) {
        const struct child_result r = run_child("ACTFN_ISA", "scalar", "set-first", rel_isa_names[i]);
        char want[64];
        if (actfn_isa_supported(all_isas[i]))
            snprintf(want, sizeof want, "%d %s\n", ACTFN_OK, rel_isa_names[i]);
        else
            snprintf(want, sizeof want, "%d scalar\n", ACTFN_ERR_UNSUPPORTED);
        assert_int_equal(r.exit_code, 0);
        assert_string_equal(r.out, want);
        assert_int_equal(r.err_lines, 0);
    }
    /* With an unknown override the warning still appears exactly once. */
    const struct child_result r = run_child("ACTFN_ISA", "bogus", "set-first", "scalar");
    assert_int_equal(r.exit_code, 0);
    char want[64];
    snprintf(want, sizeof want, "%d scalar\n", ACTFN_OK);
    assert_string_equal(r.out, want);
    assert_int_equal(r.err_lines, 1);
}

/* ACTFN_NUM_THREADS (SPEC §10): a whole number >= 1 is the thread count;
 * anything else keeps the default (the CPUs of the affinity mask) and
 * prints one warning line naming the variable. Unset or empty: no warning. */
static void env_num_threads(void **state)
{
    (void)state;
    const int cpus = rel_affinity_cpus();
    static const struct {
        const char *value;
        int want; /* 0: the default */
        int warns;
    } cases[] = {
        {NULL, 0, 0}, {"", 0, 0},     {"1", 1, 0},    {"3", 3, 0},  {"64", 64, 0}, {"0", 0, 1},
        {"-2", 0, 1}, {"abc", 0, 1},  {"4x", 0, 1},   {"2.5", 0, 1}, {"99999999999999999999", 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct child_result r = run_child("ACTFN_NUM_THREADS", cases[i].value, "threads", NULL);
        char want_out[32];
        snprintf(want_out, sizeof want_out, "%d\n", cases[i].want ? cases[i].want : cpus);
        if (r.exit_code != 0 || strcmp(r.out, want_out) != 0 || r.err_lines != cases[i].warns)
            print_error("ACTFN_NUM_THREADS=%s: exit %d, stdout \"%s\", stderr (%d lines) \"%s\"; wanted \"%s\"\n",
                        cases[i].value ? cases[i].value : "(unset)", r.exit_code, r.out, r.err_lines, r.err,
                        want_out);
        assert_int_equal(r.exit_code, 0);
        assert_string_equal(r.out, want_out);
        assert_int_equal(r.err_lines, cases[i].warns);
        if (cases[i].warns)
            assert_non_null(strstr(r.err, "ACTFN_NUM_THREADS"));
    }
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--child") == 0)
        return child_main(argc, argv);

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_is_best),
        cmocka_unit_test(supported_matches_cpu),
        cmocka_unit_test(names_and_version),
        cmocka_unit_test_teardown(set_isa_each, restore_default_isa),
        cmocka_unit_test_teardown(set_isa_out_of_range, restore_default_isa),
        cmocka_unit_test(env_each_isa),
        cmocka_unit_test(env_auto),
        cmocka_unit_test(env_unknown),
        cmocka_unit_test(set_isa_as_first_call),
        cmocka_unit_test(env_num_threads),
    };
    return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
