/* Sieve of Eratosthenes over [0, LIMIT), repeated n times.
 * Self-check: every pass must find exactly 78498 primes below 10^6 and
 * their sum must be 37550402023; otherwise run() returns -1.
 * The checksum is an FNV-1a style fold of the per-pass results and the
 * pass index, so it depends on n. */

#define LIMIT 1000000
#define EXPECTED_COUNT 78498
#define EXPECTED_SUM 37550402023LL

static unsigned char composite[LIMIT];

static int sieve_pass(long long *sum_out) {
    for (int i = 0; i < LIMIT; i++) composite[i] = 0;
    composite[0] = composite[1] = 1;
    for (int p = 2; (long long)p * p < LIMIT; p++) {
        if (composite[p]) continue;
        for (int m = p * p; m < LIMIT; m += p) composite[m] = 1;
    }
    int count = 0;
    long long sum = 0;
    for (int i = 0; i < LIMIT; i++) {
        if (!composite[i]) {
            count++;
            sum += i;
        }
    }
    *sum_out = sum;
    return count;
}

__attribute__((export_name("run")))
long long run(int n) {
    unsigned long long h = 1469598103934665603ULL; /* FNV offset basis */
    for (int k = 0; k < n; k++) {
        long long sum;
        int count = sieve_pass(&sum);
        if (count != EXPECTED_COUNT || sum != EXPECTED_SUM) return -1;
        h = (h ^ (unsigned long long)(sum + k)) * 1099511628211ULL;
        h = (h ^ (unsigned long long)count) * 1099511628211ULL;
    }
    return (long long)h;
}
