using Harness.Model;

namespace Harness.Mutants;

/// <summary>A page table that passes every call to the shipped one; a planted bug overrides the one call it lives in.</summary>
public abstract class PageTableDecorator(IIoPageTable inner) : IIoPageTable, IInvariantChecked
{
    protected IIoPageTable Inner { get; } = inner;

    public IoPgtableConfig Config => Inner.Config;

    public virtual Errno Map(ulong iova, ulong phys, ulong size, IommuProt prot) => Inner.Map(iova, phys, size, prot);

    public virtual ulong Unmap(ulong iova, ulong size) => Inner.Unmap(iova, size);

    public bool Translate(ulong iova, out ulong phys, out IommuProt prot) => Inner.Translate(iova, out phys, out prot);

    public void CheckInvariants() => (Inner as IInvariantChecked)?.CheckInvariants();
}

/// <summary>
/// docs/SPEC.md §8.13: a map that runs into an existing entry returned EEXIST but left the pages it had
/// already installed (no rollback), so part of the failed range translates.
/// </summary>
public sealed class MapWithoutRollback(IIoPageTable inner) : PageTableDecorator(inner)
{
    public override Errno Map(ulong iova, ulong phys, ulong size, IommuProt prot)
    {
        var errno = Inner.Map(iova, phys, size, prot);
        if (errno != Errno.EEXIST)
            return errno;
        ulong granule = Config.Granule, mapped = 0;
        while (mapped < size && !Inner.Translate(iova + mapped, out _, out _))
            mapped += granule;
        if (mapped > 0)
            Inner.Map(iova, phys, mapped, prot);
        return errno;
    }
}

/// <summary>
/// docs/SPEC.md §8.13: unmapping part of a block dropped the whole block (and reported its size)
/// instead of splitting it; the rest of the block stops translating.
/// </summary>
public sealed class UnmapDropsWholeBlock(IIoPageTable inner) : PageTableDecorator(inner)
{
    public override ulong Unmap(ulong iova, ulong size)
    {
        ulong block = Config.Granule << Config.BitsPerLevel;
        ulong blockStart = iova & ~(block - 1);
        bool partOfBlock = size < block && iova + size - 1 < blockStart + block && IsOneBlock(blockStart, block);
        return partOfBlock ? Inner.Unmap(blockStart, block) : Inner.Unmap(iova, size);
    }

    /// <summary>The whole aligned block translates, contiguously: as a block mapping would.</summary>
    private bool IsOneBlock(ulong start, ulong block)
    {
        if (!Inner.Translate(start, out ulong first, out var prot) || (first & (block - 1)) != 0)
            return false;
        for (ulong offset = 0; offset < block; offset += Config.Granule)
        {
            if (!Inner.Translate(start + offset, out ulong phys, out var p) || phys != first + offset || p != prot)
                return false;
        }

        return true;
    }
}
