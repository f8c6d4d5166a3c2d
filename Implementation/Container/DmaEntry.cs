using Harness.Model;

namespace Harness.Implementation;

/// <summary>What the mapping tree keeps beside each IOVA range (docs/SPEC.md §2): the page table maps it to <see cref="Phys"/>.</summary>
internal readonly record struct DmaEntry(ulong Vaddr, DmaMapFlags Prot, ulong Phys, bool VaddrInvalid);
