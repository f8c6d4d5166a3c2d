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

# ops: byte 0 picks the surface (0-3 allocators, 4 page table, 5 container, 6 end-to-end),
# bytes 1-8 the setup, then 8 bytes per call (Fuzz/Ops/*Decoder.cs say what each byte means).
seeds=corpus/ops
rm -f "$seeds"/*.bin
mkdir -p "$seeds"
bytes() { local hex; for hex in "$@"; do printf "\\x$hex"; done; }
setup() { bytes "$@"; for _ in $(seq $(( 8 - $# ))); do bytes 00; done; }
call() { bytes "$@"; for _ in $(seq $(( 8 - $# ))); do bytes 00; done; }
for surface in 0 1 2 3; do
    # alloc 4 pages, alloc 1, reserve near the start, free the first live allocation, find, alloc under 4 GiB
    { bytes "0$surface"; setup 00 00; call 00 03; call 00 00; call 03 00 00 00 00 04; call 04 04; call 06 04; call 00 10 00 02; } > "$seeds/allocator-$surface.bin"
done
# map a page at 2 MiB, translate it, map the next 2 MiB block, unmap a block and a page from
# the first page (splitting the block), map the top page of the space
{ bytes 04; setup 00; call 00 00 01 00; call 08 00 01; call 00 00 02 a0; call 05 00 01 a1; call 00 02 00 00; } > "$seeds/pagetable.bin"
{ bytes 04; setup 05; call 00 00 00 00 00 00 00 00; call 05 00 00 a0; } > "$seeds/pagetable-software-blocks.bin"
# attach the Arm SMMUv3 group, map the first and last pages of a valid range, GET_INFO, doorbell, unmap exactly, detach
{ bytes 05; setup; call 00 00 00 00; call 03 00 00 00 01; call 03 01 00 01 02; call 0c 80; call 0e 00; call 09 00 00 00 00 02; call 02 00; } > "$seeds/container-arm.bin"
# attach Intel VT-d, then the AMD group with one more reserved region touching one of its own;
# map three pages at the start of the second valid range, unmap everything
{ bytes 05; setup 01; call 00 00 00 01; call 00 01 04 06 03 00 80 45; call 03 02 00 02; call 0b 00 00 00 00 00; } > "$seeds/container-mixed.bin"
# attach, refresh, map, translate, doorbell, unmap, detach
{ bytes 06; setup; call 00 01 00; call 03; call 05 02; call 05 00; call 0c 00 01; call 0f 00; call 0a 00; call 02 00; } > "$seeds/end-to-end.bin"
ls "$seeds" | wc -l

# sysfs: the SPEC §7 platform files (committed by hand) and a few more a parser must read.
seeds=corpus/sysfs
printf '' > "$seeds/empty"
printf '0x0000000000000000 0xffffffffffffffff reserved\n' > "$seeds/whole-space"
printf '0x00000000FEE00000 0x00000000FEEFFFFF msi\n0x000000FD00000000 0x000000FFFFFFFFFF reserved' > "$seeds/upper-case-no-final-newline"
printf '0x0000000000000000 0x0000000000ffffff direct-relaxable\n0x0000000008000000 0x00000000080fffff msi\n0x00000000fee00000 0x00000000feefffff msi\n0xfffffffffffff000 0xffffffffffffffff direct\n' > "$seeds/every-type"
