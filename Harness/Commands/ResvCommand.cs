using System.CommandLine;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness resv [--aperture START-LAST] [--json] FILE...</c>: merges sysfs reserved_regions
/// files as one group would and prints the merged regions and the valid IOVA list.
/// </summary>
public static class ResvCommand
{
    public static Command Create()
    {
        var files = FileArguments.Many("FILE", "sysfs reserved_regions files, one per device or group (/sys/kernel/iommu_groups/N/reserved_regions)");
        var aperture = new Option<string>("--aperture")
        {
            HelpName = "START-LAST",
            Description = "the IOMMU aperture, inclusive [default: 0x0-0xffffffffffffffff]",
        };
        var json = new Option<bool>("--json") { Description = "print {\"regions\":[...],\"valid\":[...]} with u64s as hex strings" };

        var command = new Command("resv", "Merge reserved_regions files as a group would and print the valid IOVA list.") { files, aperture, json };
        command.SetAction(parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var window = ParseAperture(parsed.GetValue(aperture));
            var regions = ResvRegionUnion.Merge(parsed.GetValue(files)!.SelectMany(ReadRegions));
            var valid = IovaListSweep.ClipAndExclude([window], window, regions).ToList();
            output.Write(parsed.GetValue(json) ? RegionsJson.Of(regions, valid) : Text(regions, valid, window));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IovaRange ParseAperture(string? text)
    {
        if (text is null)
            return new IovaRange(0, ulong.MaxValue);
        return Hex.TryParseRange(text, out var range)
            ? range
            : throw new CliException($"--aperture '{text}': expected START-LAST with START <= LAST, e.g. 0x0-0xffffffffffff");
    }

    private static List<ResvRegion> ReadRegions(string path) =>
        new ModelSysfsParser().TryParse(InputFile.Read(path, InputKind.Sysfs), out var regions, out var error)
            ? regions
            : throw new CliException($"{path}:{error.Line}: {error.Problem} (byte {error.Offset})");

    private static string Text(List<ResvRegion> regions, List<IovaRange> valid, IovaRange aperture)
    {
        var text = new StringWriter { NewLine = "\n" };
        text.WriteLine($"reserved regions, merged ({regions.Count}):");
        foreach (var region in regions)
            text.WriteLine($"  {Hex.U64(region.Start)} {Hex.U64(region.Last)} {SysfsFormat.TypeName(region.Type)}");
        text.WriteLine($"valid IOVA ranges in aperture {Hex.U64(aperture.Start)}-{Hex.U64(aperture.Last)} ({valid.Count}):");
        foreach (var range in valid)
            text.WriteLine($"  {Hex.U64(range.Start)} {Hex.U64(range.Last)}");
        return text.ToString();
    }
}
