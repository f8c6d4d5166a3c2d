using Harness.Model;

namespace Harness.Implementation;

/// <summary>What the mapping tree keeps beside each IOVA range.</summary>
internal readonly record struct DmaEntry(ulong Vaddr, DmaMapFlags Prot);
