#!/usr/bin/env bash
# Fuzz one target with AFL++ the SharpFuzz way: publish the fuzz exe, instrument only
# Harness.Implementation.dll (the code under test) in that copy, run afl-fuzz for a while,
# then report fuzzer_stats and fail if anything crashed or hung.
#
#   Fuzz/fuzz.sh TARGET [SECONDS]
#   env: FUZZ_OUT=DIR  findings directory (default findings/TARGET; replaced unless FUZZ_RESUME=1)
#        FUZZ_RESUME=1 continue the campaign in FUZZ_OUT
set -euo pipefail
target=${1:?usage: Fuzz/fuzz.sh TARGET [SECONDS]}
seconds=${2:-60}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/findings/.build"
out="${FUZZ_OUT:-$root/findings/$target}"
seeds="$root/corpus/$target"
dict="$root/corpus/dict/$target.dict"

command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz not found (apt-get install afl++)" >&2; exit 2; }
[ -d "$seeds" ] || { echo "fuzz.sh: no seed corpus at $seeds" >&2; exit 2; }

cd "$root"
dotnet tool restore >/dev/null
rm -rf "$build"
dotnet publish Fuzz -c Release -o "$build" --nologo -v quiet
dotnet tool run sharpfuzz "$build/Harness.Implementation.dll"

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
input=(-i "$seeds")
if [ "${FUZZ_RESUME:-0}" = 1 ] && [ -d "$out/default" ]; then
    input=(-i -)
else
    rm -rf "$out"
fi
args=("${input[@]}" -o "$out" -t 5000 -m none -V "$seconds")
[ -f "$dict" ] && args+=(-x "$dict")
afl-fuzz "${args[@]}" -- dotnet "$build/Harness.Fuzz.dll" "$target" > "$out.log" 2>&1 || {
    echo "fuzz.sh: afl-fuzz failed; its log:" >&2
    tail -n 30 "$out.log" >&2
    exit 1
}

stats="$out/default/fuzzer_stats"
field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(find "$out/default/crashes" -type f ! -name README.txt | wc -l)
hangs=$(find "$out/default/hangs" -type f | wc -l)
echo "$target: $(field execs_done) execs in $(field run_time)s, $(field execs_per_sec) execs/s, stability $(field stability), corpus $(field corpus_count), crashes $crashes, hangs $hangs"
if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
    echo "fuzz.sh: findings in $out/default/crashes and $out/default/hangs; replay with: dotnet $build/Harness.Fuzz.dll $target FILE" >&2
    exit 1
fi
