#!/usr/bin/env python3
"""Run an exported function of a wasm module with wasm3 (PyPI: pywasm3).

Usage: wasm3_run.py [--load-only] [-f FUNC] FILE.wasm [ARG ...]

Prints the result as a decimal integer on stdout; on stderr, the time spent
inside the call alone ("call_seconds=..."), so startup can be separated.
--load-only parses and loads the module but does not call anything (for
measuring interpreter startup + module load).
"""
import sys
import time

import wasm3

STACK_BYTES = 8 * 1024 * 1024


def main(argv):
    args = argv[1:]
    load_only = False
    func = "run"
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt == "--load-only":
            load_only = True
        elif opt == "-f" and args:
            func = args.pop(0)
        else:
            print(__doc__.strip(), file=sys.stderr)
            return 2
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path, call_args = args[0], [int(a, 0) for a in args[1:]]
    env = wasm3.Environment()
    rt = env.new_runtime(STACK_BYTES)
    with open(path, "rb") as f:
        rt.load(env.parse_module(f.read()))
    fn = rt.find_function(func)
    if load_only:
        return 0
    t0 = time.perf_counter()
    result = fn(*call_args)
    elapsed = time.perf_counter() - t0
    print(result)
    print(f"call_seconds={elapsed:.6f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
