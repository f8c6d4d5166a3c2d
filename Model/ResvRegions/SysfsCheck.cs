namespace Harness.Model;

/// <summary>The checks a <c>reserved_regions</c> reader makes on each line (docs/SPEC.md §1), in the order it makes them.</summary>
public enum SysfsCheck
{
    /// <summary>A line with nothing on it: the kernel never prints one.</summary>
    EmptyLine,

    /// <summary>A byte outside printable ASCII.</summary>
    UnexpectedByte,

    /// <summary>A '\r': a DOS line ending.</summary>
    CarriageReturn,

    /// <summary>A field not starting with 0x.</summary>
    HexPrefix,

    /// <summary>A byte that is no hex digit among a field's 16.</summary>
    NotHexDigit,

    /// <summary>Fewer than 16 hex digits.</summary>
    TooFewDigits,

    /// <summary>Not exactly one space after a field.</summary>
    NoSpaceAfter,

    /// <summary>A type word iommu_group_resv_type_string does not print.</summary>
    UnknownType,

    /// <summary>start above last.</summary>
    StartAboveLast,
}
