namespace Harness.Model;

/// <summary>The checks a capability-chain parser makes (docs/SPEC.md §3 "Parser"), in the order it makes them.</summary>
public enum CapChainCheck
{
    /// <summary>Fewer than 16 bytes: not even the pre-v5.4 struct. Offset 0, value = length.</summary>
    BufferTooShort,

    /// <summary>argsz below 16. Offset 0, value = argsz.</summary>
    ArgszTooSmall,

    /// <summary>A non-zero cap_offset below 24 points into the fixed header. Offset 16, value = cap_offset.</summary>
    CapOffsetInsideHeader,

    /// <summary>A capability header (8 bytes) would end past min(argsz, length). Offset = the pointer (cap_offset or next), value = its target.</summary>
    CapOutOfBounds,

    /// <summary>A non-zero next that does not point past its own capability: a loop. Offset = the next field, value = next.</summary>
    NextNotForward,

    /// <summary>A known capability shorter than its fixed part. Offset = the capability, value = the size it needs.</summary>
    CapTooShort,

    /// <summary>16 + 16 * nr_iovas does not fit in the capability. Offset = nr_iovas, value = nr_iovas.</summary>
    IovaCountTooLarge,

    /// <summary>An IOVA range whose start is above its end. Offset = the range, value = start.</summary>
    IovaRangeInverted,
}

/// <summary>
/// Why a GET_INFO buffer was rejected: which check failed, at which byte offset, and the
/// offending value. The one error type of every capability-chain parser; two parsers agree
/// only if all three fields agree.
/// </summary>
public readonly record struct CapChainError(CapChainCheck Check, int Offset, ulong Value)
{
    public string Message => Check switch
    {
        CapChainCheck.BufferTooShort => $"buffer is {Value} bytes, shorter than the 16-byte vfio_iommu_type1_info",
        CapChainCheck.ArgszTooSmall => $"argsz {Value} is below the minimum of 16",
        CapChainCheck.CapOffsetInsideHeader => $"cap_offset {Value} points inside the 24-byte header",
        CapChainCheck.CapOutOfBounds => $"capability at offset {Value} does not fit in min(argsz, length)",
        CapChainCheck.NextNotForward => $"next {Value} does not point past its own capability (the chain would loop)",
        CapChainCheck.CapTooShort => $"capability is shorter than the {Value} bytes its id needs",
        CapChainCheck.IovaCountTooLarge => $"nr_iovas {Value} does not fit in the capability",
        CapChainCheck.IovaRangeInverted => $"IOVA range start 0x{Value:x} is above its end",
        _ => $"check {Check} failed",
    };

    public override string ToString() => $"{Check} at offset {Offset}: {Message}";
}
