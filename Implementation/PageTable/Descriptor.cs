using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// A 64-bit LPAE-style descriptor. Bits [1:0]: 0 invalid, 1 block, 3 table (above the last
/// level) or page (at it). A leaf keeps its output address in the bits above the granule and
/// its prot in bits [7:2]; a table descriptor keeps the next table's index above bit 12.
/// </summary>
internal static class Descriptor
{
    public const ulong Invalid = 0;
    private const ulong TypeMask = 3;
    private const ulong BlockType = 1;
    private const ulong TableOrPageType = 3;
    private const int ProtShift = 2;
    private const ulong ProtMask = 0x3f;
    private const int TableShift = 12;

    public static ulong Table(int index) => ((ulong)index << TableShift) | TableOrPageType;

    public static ulong Leaf(ulong outputAddress, IommuProt prot, bool lastLevel) =>
        outputAddress | ((ulong)prot << ProtShift) | (lastLevel ? TableOrPageType : BlockType);

    public static bool IsValid(ulong descriptor) => (descriptor & TypeMask) != 0;

    /// <summary>Above the last level, type 3 is a table; at the last level it is a page.</summary>
    public static bool IsTable(ulong descriptor, bool lastLevel) => !lastLevel && (descriptor & TypeMask) == TableOrPageType;

    public static bool IsLeaf(ulong descriptor, bool lastLevel) =>
        (descriptor & TypeMask) == (lastLevel ? TableOrPageType : BlockType);

    public static int TableIndex(ulong descriptor) => (int)(descriptor >> TableShift);

    public static ulong OutputAddress(ulong descriptor, ulong granuleMask) => descriptor & ~granuleMask;

    public static IommuProt Prot(ulong descriptor) => (IommuProt)((descriptor >> ProtShift) & ProtMask);
}
