using Harness.Mutants;
using SharpFuzz;

namespace Harness.Fuzz;

/// <summary>
/// <c>Harness.Fuzz TARGET [--planted BUG | --native LIB]</c> runs under AFL++ (our fork-server loop, input on
/// stdin), under our libFuzzer driver (SharpFuzz's libFuzzer protocol), or once on stdin.
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
        string? plantedName = null;
        if (rest.IndexOf("--planted") is int p and >= 0)
        {
            if (p + 1 >= rest.Count)
                return Usage(error, "Harness.Fuzz: --planted needs a bug name");
            plantedName = rest[p + 1];
            rest.RemoveRange(p, 2);
        }

        string? native = null;
        if (rest.IndexOf("--native") is int n and >= 0)
        {
            if (n + 1 >= rest.Count || info.Name != "capchain" || plantedName is not null)
                return Usage(error, "Harness.Fuzz: --native LIB goes with the capchain target alone");
            native = rest[n + 1];
            rest.RemoveRange(n, 2);
        }

        bool triage = rest.Remove("--triage");
        if (rest.Count == 0 && !triage)
        {
            Fuzz(() => native is not null ? NativeCapChainTarget.Load(native)
                : info.Create(plantedName is null ? null : Planted(info, plantedName, out string? problem) ?? throw new ArgumentException(problem)));
            return 0;
        }

        // From here on nothing is instrumented-and-unmapped: the planted bug can be resolved now.
        PlantedBug? planted = null;
        if (plantedName is not null && (planted = Planted(info, plantedName, out string? why)) is null)
            return Usage(error, $"Harness.Fuzz: {why}");
        if (rest.FirstOrDefault(path => !File.Exists(path) && !Directory.Exists(path)) is string missing)
            return Usage(error, $"Harness.Fuzz: {missing}: no such file or directory");
        if (triage)
        {
            if (rest.Count != 1 || !File.Exists(rest[0]))
                return Usage(error, "Harness.Fuzz: --triage takes exactly one file");
            output.WriteLine(TriageVerdict.Of(Replay.RunOne(Target(), File.ReadAllBytes(rest[0]))).ToJson());
            return 0;
        }

        return Replay.Run(info.Name, Target(), rest, output) == 0 ? 0 : 1;

        IFuzzTarget Target() => native is not null ? NativeCapChainTarget.Load(native) : info.Create(planted);
    }

    /// <summary>
    /// Hands the target to the engine. Instrumented code (Harness.Implementation, and
    /// Harness.Mutants for a planted bug) must not run before the engine has mapped the coverage
    /// area, so the target is created inside the first run.
    /// </summary>
    private static void Fuzz(Func<IFuzzTarget> create)
    {
        IFuzzTarget? target = null;
        if (Environment.GetEnvironmentVariable("__LIBFUZZER_SHM_ID") is not null)
        {
            Fuzzer.LibFuzzer.Run(input => (target ??= create()).Run(input));
        }
        else if (AflForkServer.UnderAfl)
        {
            AflForkServer.Run(input => (target ??= create()).Run(input));
        }
        else
        {
            using var stdin = new MemoryStream();
            Console.OpenStandardInput().CopyTo(stdin);
            create().Run(stdin.ToArray());
        }
    }

    private static PlantedBug? Planted(FuzzTargetInfo info, string name, out string? problem)
    {
        var bug = PlantedBugs.Find(name);
        problem = bug is null
            ? $"--planted needs one of: {string.Join(", ", PlantedBugs.All.Select(b => b.Name))}"
            : info.CanPlant(bug) ? null : $"the {info.Name} target cannot reach planted bug {bug.Name} (its property is {bug.Property.Name})";
        return problem is null ? bug : null;
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine(message);
        return 2;
    }
}
