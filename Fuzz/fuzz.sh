#!/usr/bin/env bash
# Fuzz one target with AFL++ for a while: harness fuzz with one instance and a fresh state
# directory (it publishes, instruments only Harness.Implementation.dll, runs afl-fuzz, prints
# the exec rate and stability, triages crashes into corpus/regressions/TARGET/ and merges new
# coverage into corpus/TARGET/). Exit 1 if a crash or hang reproduces.
#
#   Fuzz/fuzz.sh TARGET [SECONDS]
set -euo pipefail
target=${1:?usage: Fuzz/fuzz.sh TARGET [SECONDS]}
seconds=${2:-60}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project Harness -- fuzz "$target" --time "${seconds}s" --jobs 1 --fresh
