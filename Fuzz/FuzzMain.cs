using Harness.Mutants;
using SharpFuzz;

namespace Harness.Fuzz;

/// <summary>
/// <c>Harness.Fuzz TARGET [--planted BUG]</c> runs under AFL++ (fork server on stdin) or, when
/// SharpFuzz's libFuzzer variables are set, under our libFuzzer driver.
/// <c>Harness.Fuzz TARGET FILE|DIR...</c> replays inputs without a fuzzer and exits 1 if any
/// crashes; <c>--triage FILE</c> prints what one input does as JSON, for <c>harness fuzz</c>.
/// </summary>
public static class FuzzMain
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string usage = $"usage: Harness.Fuzz TARGET [--planted BUG] [--triage FILE | FILE|DIR...]   (targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))})";
        if (args.Length == 0 || FuzzTargets.Find(args[0]) is not FuzzTargetInfo info)
            return Usage(error, usage);

        var rest = args[1..].ToList();
        PlantedBug? planted = null;
        if (rest.IndexOf("--planted") is int p and >= 0)
        {
            if (p + 1 >= rest.Count || PlantedBugs.Find(rest[p + 1]) is not PlantedBug bug)
                return Usage(error, $"Harness.Fuzz: --planted needs one of: {string.Join(", ", PlantedBugs.All.Select(b => b.Name))}");
            if (!info.CanPlant(bug))
                return Usage(error, $"Harness.Fuzz: the {info.Name} target cannot reach planted bug {bug.Name} (its property is {bug.Property.Name})");
            planted = bug;
            rest.RemoveRange(p, 2);
        }

        bool triage = rest.Remove("--triage");
        if (rest.FirstOrDefault(path => !File.Exists(path) && !Directory.Exists(path)) is string missing)
            return Usage(error, $"Harness.Fuzz: {missing}: no such file or directory");
        if (triage)
        {
            if (rest.Count != 1 || !File.Exists(rest[0]))
                return Usage(error, "Harness.Fuzz: --triage takes exactly one file");
            output.WriteLine(TriageVerdict.Of(Replay.RunOne(info.Create(planted), File.ReadAllBytes(rest[0]))).ToJson());
            return 0;
        }

        if (rest.Count > 0)
            return Replay.Run(info.Name, info.Create(planted), rest, output) == 0 ? 0 : 1;

        IFuzzTarget? target = null;
        if (Environment.GetEnvironmentVariable("__LIBFUZZER_SHM_ID") is not null)
        {
            Fuzzer.LibFuzzer.Run(input => (target ??= info.Create(planted)).Run(input));
        }
        else
        {
            Fuzzer.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                (target ??= info.Create(planted)).Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            });
        }

        return 0;
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine(message);
        return 2;
    }
}
