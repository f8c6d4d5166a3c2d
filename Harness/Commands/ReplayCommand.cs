using System.CommandLine;
using Harness.Mutants;
using Harness.Properties;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness replay FILE|DIR...</c>: re-runs regression files (directories searched for *.json)
/// step by step against the model and the implementation; prints each still-failing case in full
/// and exits 1 if any fails.
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var paths = FileArguments.Many("FILE", "regression files or directories of them (corpus/regressions)");
        var command = new Command("replay", "Re-run regression files against the model and the implementation.") { paths };
        command.SetAction(parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var files = parsed.GetValue(paths)!.SelectMany(Expand).ToList();
            if (files.Count == 0)
                throw new CliException("no regression files (*.json) found");
            int failing = 0;
            foreach (string path in files)
            {
                var file = Read(path);
                var property = PropertyCatalogue.Find(file.Property) ?? PlantedBugs.ByPropertyName(file.Property)?.Property
                    ?? throw new CliException($"{path}: unknown property '{file.Property}'");
                Counterexample? failure;
                try
                {
                    failure = property.Replay(file);
                }
                catch (RegressionFileException e)
                {
                    throw new CliException($"{path}: {e.Message}");
                }

                if (failure is null)
                {
                    output.WriteLine($"ok      {path} ({file.Property})");
                    continue;
                }

                failing++;
                output.WriteLine($"FAILS   {path}");
                output.Write((failure with { SavedAs = null }).Report());
            }

            output.WriteLine($"{files.Count} regression files, {failing} failing");
            return failing == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [path];

    private static RegressionFile Read(string path)
    {
        try
        {
            return RegressionFile.Parse(path, InputFile.ReadAllBytes(path));
        }
        catch (RegressionFileException e)
        {
            throw new CliException(e.Message);
        }
    }
}
