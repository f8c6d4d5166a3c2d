using System.CommandLine;
using Harness.Mutants;
using Harness.Native;
using Harness.Properties;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness replay FILE|DIR...</c>: re-runs regression files (directories searched for *.json)
/// step by step against the model and the implementation; prints each still-failing case in full,
/// goes on past files it must reject, and ends with the counts. A single file that cannot be
/// replayed is one line and exit 2.
/// </summary>
public static class ReplayCommand
{
    private enum Verdict
    {
        Passes,
        Fails,
        Rejected,
        HarnessError,
    }

    public static Command Create()
    {
        var paths = FileArguments.Many("FILE", "regression files or directories of them (corpus/regressions)");
        var native = new Option<string?>("--native") { Description = "replay against a shared library behind native/harness_impl.h instead of the implementation" };
        var inProcess = new Option<bool>("--in-process") { Description = NativeOption.InProcessHelp };
        var command = new Command("replay", "Re-run regression files against the model and the implementation.") { paths, native, inProcess };
        command.SetAction((parsed, cancel) =>
        {
            var library = NativeOption.Load(parsed.GetValue(native), parsed.GetValue(inProcess));
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            var files = parsed.GetValue(paths)!.SelectMany(Expand).ToList();
            if (files.Count == 0)
                throw new CliException("no regression files (*.json) found");
            var counts = new Dictionary<Verdict, int>();
            int done = 0;
            foreach (string path in files.TakeWhile(_ => !cancel.IsCancellationRequested))
            {
                var verdict = ReplayOne(path, library, output, error, single: files.Count == 1);
                counts[verdict] = counts.GetValueOrDefault(verdict) + 1;
                done++;
            }

            output.WriteLine(
                $"{done} regression files: {counts.GetValueOrDefault(Verdict.Passes)} passing, {counts.GetValueOrDefault(Verdict.Fails)} failing, "
                + $"{counts.GetValueOrDefault(Verdict.Rejected)} rejected, {counts.GetValueOrDefault(Verdict.HarnessError)} harness errors"
                + (cancel.IsCancellationRequested ? $"; INTERRUPTED, {files.Count - done} not replayed" : ""));
            return Task.FromResult(
                cancel.IsCancellationRequested ? ExitCodes.Interrupted
                : counts.ContainsKey(Verdict.HarnessError) ? ExitCodes.Internal
                : counts.ContainsKey(Verdict.Fails) ? ExitCodes.Found
                : counts.ContainsKey(Verdict.Rejected) ? ExitCodes.Usage
                : ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>Replays one file; a rejected file is a line on stderr, or when it is the only one, the command's one-line error.</summary>
    private static Verdict ReplayOne(string path, NativeImplementation? library, TextWriter output, TextWriter error, bool single)
    {
        Counterexample? failure;
        try
        {
            var (file, property) = Read(path, library);
            try
            {
                failure = property.Replay(file);
            }
            catch (RegressionFileException e)
            {
                throw new CliException($"{path}: {e.Message}");
            }
        }
        catch (CliException e) when (!single)
        {
            error.WriteLine($"harness: rejected {e.Message}");
            return Verdict.Rejected;
        }
        catch (Exception e) when (e is not CliException)
        {
            var fault = e as HarnessFault ?? new HarnessFault("?", "while replaying", e);
            output.WriteLine($"ERROR   {path}");
            output.Write(fault.Report());
            return Verdict.HarnessError;
        }

        if (failure is null)
        {
            output.WriteLine($"ok      {path}");
            return Verdict.Passes;
        }

        output.WriteLine($"FAILS   {path}");
        output.Write((failure with { SavedAs = null }).Report());
        return Verdict.Fails;
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [path];

    /// <summary>The file and the property it names, or the one-line reason it cannot be replayed.</summary>
    private static (RegressionFile File, ICheckProperty Property) Read(string path, NativeImplementation? library)
    {
        RegressionFile file;
        try
        {
            file = RegressionFile.Parse(path, InputFile.Read(path, InputKind.Regression));
        }
        catch (RegressionFileException e)
        {
            throw new CliException(e.Message);
        }

        if (library is not null)
        {
            var native = NativeProperties.For(library, library.Profile).FirstOrDefault(p => p.Name == file.Property)
                ?? throw new CliException($"{path}: property '{file.Property}' is not one {library.Name} implements");
            return (file, native);
        }

        var property = PropertyCatalogue.Find(file.Property) ?? PlantedBugs.ByPropertyName(file.Property)?.Property
            ?? throw new CliException($"{path}: unknown property '{file.Property}'");
        return (file, property);
    }
}
