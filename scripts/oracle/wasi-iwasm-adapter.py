"""wasi-testsuite runtime adapter for an iwasm command line (WAMR's or cwamr's).

Like the suite's own wasm-micro-runtime adapter, but passes environment variables as
`--env=KEY=VALUE` (the form WAMR's iwasm accepts; it rejects `--env KEY=VALUE`).
The binary comes from $IWASM (default `iwasm`). Not run by CI.
"""

import os
import shlex
import subprocess
from pathlib import Path
from typing import Dict, List, Tuple

IWASM = shlex.split(os.getenv("IWASM", "iwasm"))


def get_name() -> str:
    return os.getenv("IWASM_NAME", "iwasm")


def get_version() -> str:
    out = subprocess.run(IWASM + ["--version"], encoding="UTF-8",
                         capture_output=True, check=True).stdout
    return out.splitlines()[0].split(" ")[1]


def get_wasi_versions() -> List[str]:
    return ["wasm32-wasip1"]


def get_wasi_worlds() -> List[str]:
    return ["wasi:cli/command"]


def compute_argv(test_path: str,
                 args_env_dirs: Tuple[List[str], Dict[str, str], List[Tuple[Path, str]]],
                 proposals: List[str],
                 wasi_world: str,
                 wasi_version: str) -> List[str]:
    args, env, dirs = args_env_dirs
    argv = list(IWASM)
    argv += [f"--env={k}={v}" for k, v in env.items()]
    argv += [f"--map-dir={guest}::{host}" for host, guest in dirs]
    argv.append(test_path)
    argv += args
    return argv
