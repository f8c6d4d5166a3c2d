using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>One machine property driven by decoded bytes.</summary>
public interface IOpsSurface
{
    string Name { get; }

    /// <summary>Decodes the setup and the calls and runs them on the model and the subject; the counterexample if they diverge.</summary>
    Counterexample? Run(OpBytes bytes);

    /// <summary>The fewest and simplest calls that still diverge the same way.</summary>
    Counterexample Shrink(Counterexample found);

    /// <summary>What the bytes decode to, one line per call with the model's answer (the subject is not run).</summary>
    IReadOnlyList<string> Describe(OpBytes bytes);
}

/// <summary>A catalogue property (or a planted bug's version of it) with the decoder for its calls.</summary>
public sealed class OpsSurface<TSubject, TSetup, TOp>(MachineProperty<TSubject, TSetup, TOp> property, IOpDecoder<TSubject, TSetup> decoder) : IOpsSurface
    where TSetup : notnull
    where TOp : Op<TSubject>
{
    public string Name => property.Name;

    public Counterexample? Run(OpBytes bytes)
    {
        var setup = decoder.Setup(bytes.Setup());
        return property.Drive(setup, model => bytes.TryNextCall(out var record) ? decoder.Call(record, setup, model) : null);
    }

    public Counterexample Shrink(Counterexample found) => property.Shrink(found);

    public IReadOnlyList<string> Describe(OpBytes bytes)
    {
        var setup = decoder.Setup(bytes.Setup());
        var model = property.Spec.CreateModel(setup);
        var lines = new List<string> { $"{Name}: {setup}" };
        while (bytes.TryNextCall(out var record))
        {
            var call = decoder.Call(record, setup, model);
            lines.Add($"{lines.Count - 1,3}: {call} -> {call.Apply(model)}");
        }

        return lines;
    }
}
