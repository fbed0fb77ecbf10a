#!/usr/bin/env bash
# Builds `summa` (release) against GMP 6.3.0 from PyPI's cmeel-gmp instead of the system's GMP, for benchmarks on a
# system whose GMP is older (Debian 12 ships 6.2.1, which is slower on recent x86 cores: docs/benchmarks.md).
#
#   scripts/build-with-gmp.sh            prints the path of the binary built
#
# cmeel-gmp installs into .build-gmp-venv (once). Its pkg-config file is put first on PKG_CONFIG_PATH, so SwiftPM's
# CGMP target compiles against its gmp.h and links its libgmp; the binary gets a run path to that library, so it
# loads the GMP it was built with and no LD_LIBRARY_PATH is needed (`summa --version` names the GMP it runs on).
# The build goes to .build-gmp63, apart from the default .build, which stays on the system's GMP (what CI tests).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build-gmp-venv
if [ ! -d "$venv" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q cmeel-gmp==6.3.0 >&2
fi
prefix=$(cd "$venv"/lib/python3*/site-packages/cmeel.prefix && pwd)
[ -f "$prefix/lib/pkgconfig/gmp.pc" ] || { echo "build-with-gmp.sh: no gmp.pc under $prefix" >&2; exit 2; }
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
swift build -c release --product summa --scratch-path .build-gmp63 -Xlinker -rpath -Xlinker "$prefix/lib" >&2
binary="$PWD/.build-gmp63/release/summa"
version=$("$binary" --version)
case "$version" in
    *"GMP 6.3"*) ;;
    *) echo "build-with-gmp.sh: the binary runs on $version, not GMP 6.3 (a stale build in .build-gmp63?)" >&2; exit 2 ;;
esac
echo "$binary"
