using System.Buffers.Binary;
using System.CommandLine;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness encode --layout L [--range START-LAST]... [--argsz N] [--pgsizes B] [--dma-avail N] -o FILE</c>:
/// writes the GET_INFO buffer a kernel of that layout would return for a caller with that argsz,
/// to craft parser inputs. The file is written whole or not at all.
/// </summary>
public static class EncodeCommand
{
    private static readonly Dictionary<string, InfoLayout> Layouts = new()
    {
        ["v6.6"] = InfoLayout.Type1V66,
        ["pre-v6.6"] = InfoLayout.Type1PreV66,
        ["iommufd"] = InfoLayout.IommufdCompat,
    };

    public static Command Create()
    {
        var layout = new Option<string>("--layout") { Description = "v6.6 (default), pre-v6.6 or iommufd", DefaultValueFactory = _ => "v6.6" };
        layout.AcceptOnlyFromAmong([.. Layouts.Keys]);
        var ranges = new Option<string[]>("--range") { Description = "a valid IOVA range START-LAST (repeat for more, in the order given)", HelpName = "START-LAST", AllowMultipleArgumentsPerToken = false };
        var argsz = new Option<string?>("--argsz") { Description = "the caller's argsz [default: exactly what the chain needs]" };
        var pgsizes = new Option<string>("--pgsizes") { Description = "iova_pgsizes", DefaultValueFactory = _ => "0x40201000" };
        var dmaAvail = new Option<string>("--dma-avail") { Description = "DMA_AVAIL's avail (iommufd always writes 0xffffffff)", DefaultValueFactory = _ => "65535" };
        var output = new Option<string>("--output", "-o") { Description = "the file to write (- for standard output); a regular file is replaced whole, a symlink written through, a device written in place", Required = true };
        var command = new Command("encode", "Write a GET_INFO buffer from a description, as the kernel would fill it.")
        {
            layout, ranges, argsz, pgsizes, dmaAvail, output,
        };
        command.SetAction(parsed =>
        {
            var chosen = Layouts[parsed.GetValue(layout)!];
            var valid = (parsed.GetValue(ranges) ?? []).Select(ParseRange).ToArray();
            ulong bitmap = ParseU64("--pgsizes", parsed.GetValue(pgsizes)!);
            ulong avail = ParseU64("--dma-avail", parsed.GetValue(dmaAvail)!);
            if (avail > uint.MaxValue)
                throw new CliException($"--dma-avail {avail}: does not fit the u32 field");
            var bytes = Encode(chosen, valid, bitmap, (uint)avail, parsed.GetValue(argsz));
            string path = parsed.GetValue(output)!;
            if (!OutputFile.Write(path, bytes))
                parsed.InvocationConfiguration.Output.WriteLine($"{path}: {bytes.Length} bytes, {parsed.GetValue(layout)} layout, {valid.Length} range{(valid.Length == 1 ? "" : "s")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static byte[] Encode(InfoLayout layout, IovaRange[] ranges, ulong pgsizes, uint avail, string? argszText)
    {
        var writer = new InfoWriter();
        var probe = new byte[Type1Info.MinArgsz];
        BinaryPrimitives.WriteUInt32LittleEndian(probe, Type1Info.MinArgsz);
        writer.Write(probe, layout, pgsizes, avail, ranges);
        uint needed = BinaryPrimitives.ReadUInt32LittleEndian(probe);

        ulong argsz = argszText is null ? needed : ParseU64("--argsz", argszText);
        if (argsz < Type1Info.MinArgsz || argsz > (ulong)InputKind.GetInfo.Bound)
            throw new CliException($"--argsz {argszText}: must be between 16 and 16 MiB");
        var buffer = new byte[argsz];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)argsz);
        writer.Write(buffer, layout, pgsizes, avail, ranges);
        return buffer;
    }

    private static IovaRange ParseRange(string text) =>
        Hex.TryParseRange(text, out var range) ? range : throw new CliException($"--range '{text}': expected START-LAST with START <= LAST");

    private static ulong ParseU64(string option, string text) =>
        Hex.TryParseU64(text, out ulong value) ? value : throw new CliException($"{option} '{text}': expected a number (0x-hex or decimal)");
}
