using System.Diagnostics.CodeAnalysis;
using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// <see cref="CapChainReader"/> behind the common parser interface: the validated view is turned
/// into the model's <see cref="ParsedInfo"/> so the two parsers can be compared field by field.
/// </summary>
public sealed class FastCapChainParser : ICapChainParser
{
    public bool TryParse(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out ParsedInfo? info, out CapChainError error)
    {
        info = null;
        if (!CapChainReader.TryParse(buffer, out var view, out error))
            return false;

        var caps = new List<InfoCap>();
        foreach (var cap in view.Capabilities)
            caps.Add(Describe(buffer, cap));
        info = new ParsedInfo(view.Length, view.Argsz, view.Flags, view.IovaPgsizes, view.CapOffset, caps);
        return true;
    }

    private static InfoCap Describe(ReadOnlySpan<byte> buffer, CapRef cap)
    {
        if (!cap.IsKnown)
            return new UnknownInfoCap(cap.Offset, cap.Id, cap.Version, cap.Next);
        int at = cap.Offset;
        switch ((CapId)cap.Id)
        {
            case CapId.Migration:
                return new MigrationInfoCap(at, cap.Next,
                    InfoBytes.U32(buffer, at + MigrationCapLayout.FlagsOffset),
                    InfoBytes.U64(buffer, at + MigrationCapLayout.PgsizeBitmapOffset),
                    InfoBytes.U64(buffer, at + MigrationCapLayout.MaxDirtyBitmapSizeOffset));
            case CapId.DmaAvail:
                return new DmaAvailInfoCap(at, cap.Next, InfoBytes.U32(buffer, at + DmaAvailCapLayout.AvailOffset));
            default:
                var list = IovaRangeList.OfCap(buffer, at);
                var ranges = new IovaRange[list.Count];
                list.CopyTo(ranges);
                return new IovaRangeInfoCap(at, cap.Next, ranges);
        }
    }
}
