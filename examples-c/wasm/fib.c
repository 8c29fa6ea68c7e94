/* Recursive Fibonacci example for iwasm: `iwasm -f fib fib.wasm 30` -> 832040.
 * Built freestanding (no imports); see bench/build.sh. */

__attribute__((export_name("fib")))
int fib(int n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
}
