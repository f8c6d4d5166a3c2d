using System.Text.Json;
using FsCheck;
using FsCheck.Experimental;
using Harness.Implementation;

namespace Harness.Properties;

/// <summary>
/// A <see cref="MachineSpec{TSubject,TSetup}"/> held against one implementation: the unit the
/// catalogue names, <c>harness check</c> runs and regression files replay.
/// </summary>
/// <typeparam name="TOp">The JSON-polymorphic base record of the machine's calls.</typeparam>
public sealed class MachineProperty<TSubject, TSetup, TOp>(
    string name, string description, MachineSpec<TSubject, TSetup> spec, Func<TSetup, TSubject> implementation, string? selector = null) : ICheckProperty
    where TSetup : notnull
    where TOp : Op<TSubject>
{
    private const int MaxShrinkReplays = 5000;

    public string Name { get; } = name;

    public string Description { get; } = description;

    public string Selector { get; } = selector ?? $"--property {name}";

    public MachineSpec<TSubject, TSetup> Spec { get; } = spec;

    /// <summary>The same property held against another implementation (a planted bug, a user's own).</summary>
    public MachineProperty<TSubject, TSetup, TOp> Against(string newName, Func<TSetup, TSubject> other, string? newSelector = null, string replayOptions = "") =>
        new(newName, Description, Spec, other, newSelector) { ReplayOptions = replayOptions };

    /// <summary>The same property, claiming <paramref name="events"/> of the Implementation's structural events.</summary>
    public MachineProperty<TSubject, TSetup, TOp> Reaching(IReadOnlyList<StructuralEvent> events) =>
        new(Name, Description, Spec, implementation, Selector) { ReplayOptions = ReplayOptions, Reaches = events };

    /// <summary>What <c>harness replay</c> needs besides the file to replay this property's failures (<c>--native LIB.so</c>), if anything.</summary>
    public string ReplayOptions { get; init; } = "";

    public int CasesPerRun => 1;

    public IReadOnlyList<StructuralEvent> Reaches { get; init; } = [];

    public PropertyOutcome Check(CheckSettings settings)
    {
        return HarnessFault.Catching(Name, settings, settings =>
        {
            var runner = new CapturingRunner();
            var config = settings.ToConfig(Name, settings.Runs, runner).WithStartSize(1);

            long before = StepCheck.ThreadOperations;
            FsCheck.Check.One(config, StateMachine.ToProperty(new SpecMachine<TSubject, TSetup>(Spec, implementation, settings.ShrinkTime)));
            long operations = StepCheck.ThreadOperations - before;
            return runner.Result switch
            {
                TestResult.Failed failed => new PropertyOutcome(Name, failed.Item1.NumberOfTests, operations, Explain(failed, runner.Shrinks)),
                TestResult.Passed passed => new PropertyOutcome(Name, passed.Item1.NumberOfTests, operations, null),
                _ => throw new InvalidOperationException("FsCheck gave up (no runs were generated)"),
            };
        });
    }

    private Counterexample Explain(TestResult.Failed failed, int shrinks)
    {
        var (setup, ops) = SpecMachine<TSubject, TSetup>.Counterexample(failed.Item3.Head);
        var replay = new ReplaySeed(failed.Item6.Seed, failed.Item6.Gamma, failed.Item7);
        var replayed = Run(setup, ops);
        if (replayed.Ok)
        {
            string thrown = failed.Item4 is Outcome.Failed { Item: Exception e } ? $"{e.GetType().Name}: {e.Message}" : "unknown";
            replayed = replayed with { FailedStep = ops.Count - 1, Divergence = new Divergence($"failed under FsCheck but not on replay ({thrown})") };
        }

        return Describe(setup, ops, replayed, replay, shrinks);
    }

    public Counterexample? Replay(RegressionFile file)
    {
        var (setup, ops) = Read(file);
        var replayed = Run(setup, ops);
        return replayed.Ok ? null : Describe(setup, ops, replayed, null, 0);
    }

    private ReplayResult Run(TSetup setup, IReadOnlyList<Op<TSubject>> ops) => Named(() => Replayer.Run(Spec, implementation, setup, ops));

    /// <summary>A replay whose harness faults name this property.</summary>
    private ReplayResult Named(Func<ReplayResult> replay)
    {
        try
        {
            return replay();
        }
        catch (HarnessFault fault)
        {
            throw fault.In(Name, null);
        }
    }

    /// <summary>
    /// A failure found without FsCheck (by a fuzzer) made as small as FsCheck would make it: the
    /// same list simplifications, each kept only while the same kind of divergence still happens.
    /// </summary>
    public Counterexample Shrink(Counterexample found)
    {
        var (setup, ops) = Read(found.File);
        var failed = Run(setup, ops);
        if (failed.Ok)
            return found;
        string kind = failed.Divergence!.Kind;
        int shrinks = 0, budget = MaxShrinkReplays;
        for (bool smaller = true; smaller && budget > 0;)
        {
            smaller = false;
            foreach (var candidate in OpListShrinker.Shrink(ops).Take(budget))
            {
                budget--;
                var replayed = Run(setup, candidate);
                if (!replayed.Ok && replayed.Divergence!.Kind == kind)
                {
                    (ops, failed, smaller) = (candidate.Take(replayed.FailedStep + 1).ToList(), replayed, true);
                    shrinks++;
                    break;
                }
            }
        }

        return Describe(setup, ops, failed, null, shrinks);
    }

    private (TSetup Setup, IReadOnlyList<Op<TSubject>> Ops) Read(RegressionFile file)
    {
        var setup = Field<TSetup>(file.Setup, "setup");
        var ops = Field<List<TOp?>>(file.Ops, "ops");
        if (ops.Count == 0)
            throw new RegressionFileException($"{Name}: ops is empty: a regression file holds at least one call");
        if (ops.IndexOf(null) is int missing and >= 0)
            throw new RegressionFileException($"{Name}: ops[{missing}] is null, not a call");

        try
        {
            Spec.CreateModel(setup);
        }
        catch (ArgumentException e)
        {
            throw new RegressionFileException($"{Name}: the file's setup does not fit this property: {e.Message}");
        }

        return (setup, ops!);
    }

    private T Field<T>(JsonElement json, string field)
    {
        try
        {
            return json.Deserialize<T>(HexJson.Options) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            string at = e is JsonException { Path: { Length: > 1 } path } ? $" at {field}{path[1..]}" : "";
            throw new RegressionFileException($"{Name}: {field} does not fit this property{at}: {e.Message}");
        }
    }

    /// <summary>
    /// Runs calls chosen one at a time from the model's state (by a fuzzer's decoder, say) on both
    /// sides; the counterexample, with its regression file, if they diverge.
    /// </summary>
    public Counterexample? Drive(TSetup setup, Func<TSubject, Op<TSubject>?> next)
    {
        var calls = new List<Op<TSubject>>();
        var replayed = Named(() => Replayer.Run(Spec, implementation, setup, next, calls));
        return replayed.Ok ? null : Describe(setup, calls, replayed, null, 0);
    }

    private Counterexample Describe(TSetup setup, IReadOnlyList<Op<TSubject>> ops, ReplayResult replayed, ReplaySeed? seed, int shrinks)
    {
        var divergence = replayed.Divergence!;
        var calls = ops.Take(replayed.FailedStep + 1).ToList();
        string failure = $"step {replayed.FailedStep}: {divergence.Message}";
        var file = new RegressionFile(
            Name,
            failure,
            seed?.ToString(),
            JsonSerializer.SerializeToElement(setup, HexJson.Options),
            JsonSerializer.SerializeToElement(calls.Cast<TOp>().ToList(), HexJson.Options));
        return new Counterexample(
            Name, Selector, setup.ToString() ?? "", calls.Select(c => c.ToString() ?? "").ToList(), replayed.ModelOutcomes,
            replayed.FailedStep, divergence.What, divergence.Model, divergence.Implementation, seed, shrinks, file)
        {
            ReplayOptions = ReplayOptions,
        };
    }
}
