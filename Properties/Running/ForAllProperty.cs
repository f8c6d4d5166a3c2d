using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace Harness.Properties;

/// <summary>
/// A property over one generated value (a buffer description, a region set) rather than a call
/// sequence: FsCheck generates and shrinks the value with the given shrinker, the check throws
/// <see cref="Divergence"/> on failure, and the shrunk value becomes the regression file.
/// </summary>
public sealed class ForAllProperty<T>(
    string name, string description, Gen<T> generator, Func<T, IEnumerable<T>> shrinker, Action<T> check, string? selector = null) : ICheckProperty
    where T : notnull
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public string Selector { get; } = selector ?? $"--property {name}";

    public int CasesPerRun => 4;

    public IReadOnlyList<Harness.Implementation.StructuralEvent> Reaches { get; init; } = [];

    /// <summary>What <c>harness replay</c> needs before a regression file to reproduce it (a native library's <c>--native LIB</c>).</summary>
    public string ReplayOptions { get; init; } = "";

    /// <summary>The same property, its reports telling replay to use <paramref name="options"/>.</summary>
    public ForAllProperty<T> WithReplayOptions(string options) =>
        new(Name, Description, generator, shrinker, check, Selector) { ReplayOptions = options };

    /// <summary>The same property, claiming <paramref name="events"/> of the Implementation's structural events.</summary>
    public ForAllProperty<T> Reaching(IReadOnlyList<Harness.Implementation.StructuralEvent> events) =>
        new(Name, Description, generator, shrinker, check, Selector) { ReplayOptions = ReplayOptions, Reaches = events };

    public PropertyOutcome Check(CheckSettings settings)
    {
        return HarnessFault.Catching(Name, settings, settings =>
        {
            var runner = new CapturingRunner();
            var config = settings.ToConfig(Name, settings.Runs * CasesPerRun, runner);

            long before = StepCheck.ThreadOperations;
            FsCheck.Check.One(config, Prop.ForAll(Arb.From(generator, shrinker), (T value) =>
            {
                check(value);
                StepCheck.Record();
            }));
            long operations = StepCheck.ThreadOperations - before;
            return runner.Result switch
            {
                TestResult.Failed failed => new PropertyOutcome(Name, failed.Item1.NumberOfTests, operations,
                    Explain((T)failed.Item3.Head, new ReplaySeed(failed.Item6.Seed, failed.Item6.Gamma, failed.Item7), runner.Shrinks)),
                TestResult.Passed passed => new PropertyOutcome(Name, passed.Item1.NumberOfTests, operations, null),
                _ => throw new InvalidOperationException("FsCheck gave up (no values were generated)"),
            };
        });
    }

    public Counterexample? Replay(RegressionFile file)
    {
        T value;
        try
        {
            value = file.Setup.Deserialize<T>(HexJson.Options) ?? throw new JsonException("the value is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new RegressionFileException($"{Name}: the file's value does not fit this property: {e.Message}");
        }

        return Explain(value, null, 0);
    }

    private Counterexample? Explain(T value, ReplaySeed? seed, int shrinks)
    {
        Divergence divergence;
        try
        {
            check(value);
            if (seed is null)
                return null;
            divergence = new Divergence("failed under FsCheck but not on replay");
        }
        catch (Divergence d)
        {
            divergence = d;
        }
        catch (Exception e)
        {
            divergence = new Divergence($"threw {e.GetType().Name}: {e.Message}");
        }

        var file = new RegressionFile(Name, divergence.Message, seed?.ToString(), JsonSerializer.SerializeToElement(value, HexJson.Options), JsonSerializer.SerializeToElement(Array.Empty<object>()));
        return new Counterexample(Name, Selector, value.ToString() ?? "", [], [], -1, divergence.What, divergence.Model, divergence.Implementation, seed, shrinks, file)
        {
            ReplayOptions = ReplayOptions,
        };
    }
}
