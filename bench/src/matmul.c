/* Dense matrix multiply of two n x n double matrices (C = A * B).
 * A and B are filled from a 32-bit LCG. Self-check: for a vector x,
 * C*x must equal A*(B*x) up to rounding; otherwise run() returns -1.
 * Returns a checksum: weighted sum of C scaled to an integer. */

#define MAXN 512

static double A[MAXN * MAXN], B[MAXN * MAXN], C[MAXN * MAXN];
static double x[MAXN], bx[MAXN], abx[MAXN], cx[MAXN];

static unsigned lcg_state;

static double lcg_unit(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return (double)(lcg_state >> 8) / 16777216.0; /* [0, 1) */
}

static double fabs_(double v) { return v < 0 ? -v : v; }

static void matvec(const double *M, const double *v, double *out, int n) {
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        for (int j = 0; j < n; j++) s += M[i * n + j] * v[j];
        out[i] = s;
    }
}

__attribute__((export_name("run")))
long long run(int n) {
    if (n < 0 || n > MAXN) return -1;
    lcg_state = 12345u;
    for (int i = 0; i < n * n; i++) A[i] = lcg_unit() - 0.5;
    for (int i = 0; i < n * n; i++) B[i] = lcg_unit() - 0.5;
    for (int i = 0; i < n; i++) x[i] = lcg_unit();

    /* i-k-j loop order: streams rows of B and C. */
    for (int i = 0; i < n; i++) {
        double *ci = &C[i * n];
        for (int j = 0; j < n; j++) ci[j] = 0.0;
        for (int k = 0; k < n; k++) {
            double a = A[i * n + k];
            const double *bk = &B[k * n];
            for (int j = 0; j < n; j++) ci[j] += a * bk[j];
        }
    }

    /* Self-check against the associativity of matrix-vector products. */
    matvec(B, x, bx, n);
    matvec(A, bx, abx, n);
    matvec(C, x, cx, n);
    for (int i = 0; i < n; i++) {
        double tol = 1e-9 * (1.0 + fabs_(abx[i])) * (n + 1);
        if (fabs_(cx[i] - abx[i]) > tol) return -1;
    }

    double sum = 0.0;
    for (int i = 0; i < n * n; i++) sum += C[i] * (double)((i % 7) + 1);
    return (long long)(sum * 1e6);
}
