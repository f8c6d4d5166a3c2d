using System.CommandLine;
using Harness.Fuzz;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness decode [--json] FILE</c>: a VFIO_IOMMU_GET_INFO buffer in human form, parsed by the
/// hardened parser; <c>--sysfs</c> decodes a reserved_regions file instead, <c>--ops</c> an ops
/// fuzz input (the calls it stands for). A rejected input is one line naming the check and the
/// byte offset, exit 1.
/// </summary>
public static class DecodeCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "a GET_INFO buffer as raw bytes (or, with --sysfs, a reserved_regions file)" };
        var json = new Option<bool>("--json") { Description = "print JSON, u64s as hex strings" };
        var sysfs = new Option<bool>("--sysfs") { Description = "decode a sysfs reserved_regions file" };
        var ops = new Option<bool>("--ops") { Description = "decode an ops fuzz input: its surface, setup and calls, with the model's answers" };
        var command = new Command("decode", "Print a GET_INFO capability chain (or a reserved_regions file, or an ops fuzz input) in human form.") { file, json, sysfs, ops };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(file)!;
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(sysfs) && parsed.GetValue(ops))
                throw new CliException("--sysfs and --ops: choose one");
            if (parsed.GetValue(sysfs))
                return DecodeSysfs(path, InputFile.Read(path, InputKind.Sysfs), parsed.GetValue(json), output);
            if (parsed.GetValue(ops))
            {
                foreach (string line in new OpsTarget().Describe(InputFile.Read(path, InputKind.Ops)))
                    output.WriteLine(line);
                return ExitCodes.Ok;
            }

            return DecodeInfo(path, InputFile.Read(path, InputKind.GetInfo), parsed.GetValue(json), output);
        });
        return command;
    }

    private static int DecodeInfo(string path, byte[] bytes, bool json, TextWriter output)
    {
        if (!new FastCapChainParser().TryParse(bytes, out var info, out var error))
        {
            if (json)
                output.Write(InfoDescription.JsonError(error));
            throw new CliException($"{path}: offset {error.Offset}: {error.Check}: {error.Message}");
        }

        output.Write(json ? InfoDescription.Json(info) : InfoDescription.Text(info));
        return ExitCodes.Ok;
    }

    private static int DecodeSysfs(string path, byte[] bytes, bool json, TextWriter output)
    {
        if (!new ModelSysfsParser().TryParse(bytes, out var regions, out var error))
            throw new CliException($"{path}:{error.Line}: {error.Problem} (byte {error.Offset})");
        if (json)
        {
            output.Write(RegionsJson.Of(regions, valid: null));
            return ExitCodes.Ok;
        }

        output.WriteLine($"reserved_regions ({regions.Count}):");
        foreach (var region in regions)
            output.WriteLine($"  {Hex.U64(region.Start)} {Hex.U64(region.Last)} {SysfsFormat.TypeName(region.Type)}");
        return ExitCodes.Ok;
    }
}
