/* Recursive Fibonacci: call-heavy integer workload.
 * run(n) returns fib(n) computed recursively, or -1 if it disagrees with
 * an iterative computation (self-check). Default n = see bench/run.py. */

static int fib_rec(int n) {
    if (n < 2) return n;
    return fib_rec(n - 1) + fib_rec(n - 2);
}

static int fib_iter(int n) {
    unsigned a = 0, b = 1;
    for (int i = 0; i < n; i++) {
        unsigned t = a + b;
        a = b;
        b = t;
    }
    return (int)a;
}

__attribute__((export_name("run")))
int run(int n) {
    int r = fib_rec(n);
    if (r != fib_iter(n)) return -1;
    return r;
}
