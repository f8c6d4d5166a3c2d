namespace Harness.Model;

/// <summary>A DMA mapping the end-to-end stack made: where, how big, what it points at, and whether the current allocator handed it out.</summary>
public sealed record LiveDma(ulong Iova, ulong Size, ulong Vaddr, bool FromAllocator);
