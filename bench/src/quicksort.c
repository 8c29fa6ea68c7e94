/* Quicksort of n pseudo-random ints (xorshift32 generator).
 * Median-of-three Hoare partitioning, recursion on the smaller side,
 * insertion sort for short ranges. Self-check: the result must be
 * non-decreasing and hold the same multiset sum/xor as the input,
 * otherwise run() returns -1. Returns a position-weighted checksum. */

#define MAXN (1 << 21)

static int arr[MAXN];

static void insertion(int *a, int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
        int v = a[i], j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void swap(int *a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void qsort_range(int *a, int lo, int hi) {
    while (hi - lo > 16) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(a, mid, lo);
        if (a[hi] < a[lo]) swap(a, hi, lo);
        if (a[hi] < a[mid]) swap(a, hi, mid);
        int pivot = a[mid];
        int i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j) break;
            swap(a, i, j);
        }
        /* [lo, j] and [j+1, hi]; recurse on the smaller part. */
        if (j - lo < hi - j) {
            qsort_range(a, lo, j);
            lo = j + 1;
        } else {
            qsort_range(a, j + 1, hi);
            hi = j;
        }
    }
    insertion(a, lo, hi);
}

__attribute__((export_name("run")))
int run(int n) {
    if (n < 0 || n > MAXN) return -1;
    unsigned s = 2463534242u;
    unsigned sum_in = 0, xor_in = 0;
    for (int i = 0; i < n; i++) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        arr[i] = (int)s;
        sum_in += s;
        xor_in ^= s;
    }
    if (n > 0) qsort_range(arr, 0, n - 1);

    unsigned sum_out = 0, xor_out = 0, check = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && arr[i - 1] > arr[i]) return -1;
        sum_out += (unsigned)arr[i];
        xor_out ^= (unsigned)arr[i];
        check = check * 31u + (unsigned)arr[i] * (unsigned)(i + 1);
    }
    if (sum_out != sum_in || xor_out != xor_in) return -1;
    return (int)(check & 0x7fffffff);
}
