#!/usr/bin/env bash
# Regenerates the seed corpora from the reference writer (harness encode) and the SPEC §7
# platforms. The committed files are its output; run it after changing a writer layout.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
harness() { dotnet run --project Harness --no-build -- "$@" > /dev/null; }
seeds=corpus/capchain
rm -f "$seeds"/*.bin

arm=(--range 0x0-0x7ffffff --range 0x8100000-0xffffffffffff)
intel=(--range 0x0-0x3e2dffff --range 0x3e300000-0xfedfffff --range 0xfef00000-0x7fffffffff)
one=(--range 0x1000-0xffff)
many=()
for i in $(seq 0 15); do many+=(--range "$((i * 0x200000 + 0x1000))-$((i * 0x200000 + 0x1fffff))"); done
huge=()
for i in $(seq 0 255); do huge+=(--range "$((i * 0x10000))-$((i * 0x10000 + 0xfff))"); done

for layout in v6.6 pre-v6.6 iommufd; do
    harness encode --layout "$layout" -o "$seeds/$layout-0-ranges.bin"
    harness encode --layout "$layout" "${one[@]}" -o "$seeds/$layout-1-range.bin"
    harness encode --layout "$layout" "${intel[@]}" -o "$seeds/$layout-intel.bin"
    harness encode --layout "$layout" "${intel[@]}" --argsz 24 -o "$seeds/$layout-intel-argsz-24.bin"
done
harness encode --layout v6.6 "${arm[@]}" -o "$seeds/v6.6-arm.bin"
harness encode --layout v6.6 "${many[@]}" -o "$seeds/v6.6-16-ranges.bin"
harness encode --layout v6.6 "${huge[@]}" -o "$seeds/v6.6-256-ranges.bin"
harness encode --layout v6.6 "${one[@]}" --argsz 16 -o "$seeds/v6.6-argsz-16.bin"
harness encode --layout iommufd "${intel[@]}" --argsz 103 -o "$seeds/iommufd-intel-short.bin"
# The pre-v5.4 struct: argsz 16, PGSIZES only, no capabilities.
printf '\x10\x00\x00\x00\x01\x00\x00\x00\x00\x10\x20\x40\x00\x00\x00\x00' > "$seeds/pre-v5.4.bin"
ls "$seeds" | wc -l
