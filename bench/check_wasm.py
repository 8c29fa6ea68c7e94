#!/usr/bin/env python3
"""Check that wasm modules have no imports and export the given function.

Usage: check_wasm.py EXPORT FILE.wasm [FILE.wasm ...]
Exits non-zero (and says why) if a module imports anything or lacks EXPORT.
"""
import sys


def leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def name(buf, pos):
    n, pos = leb(buf, pos)
    return buf[pos:pos + n].decode(), pos + n


def sections(buf):
    if buf[:4] != b"\0asm":
        raise ValueError("not a wasm module")
    pos = 8
    while pos < len(buf):
        sid = buf[pos]
        size, pos = leb(buf, pos + 1)
        yield sid, buf[pos:pos + size]
        pos += size


def inspect(path):
    buf = open(path, "rb").read()
    imports, exports = [], []
    for sid, body in sections(buf):
        if sid == 2:
            count, p = leb(body, 0)
            for _ in range(count):
                mod, p = name(body, p)
                field, p = name(body, p)
                imports.append(f"{mod}.{field}")
                break  # one is enough to fail; descriptor parsing not needed
        elif sid == 7:
            count, p = leb(body, 0)
            for _ in range(count):
                field, p = name(body, p)
                kind = body[p]
                _, p = leb(body, p + 1)
                exports.append((field, kind))
    return imports, exports


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    want, ok = argv[1], True
    for path in argv[2:]:
        imports, exports = inspect(path)
        funcs = [f for f, kind in exports if kind == 0]
        if imports:
            print(f"{path}: has imports (first: {imports[0]})", file=sys.stderr)
            ok = False
        if want not in funcs:
            print(f"{path}: does not export function {want!r}", file=sys.stderr)
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
