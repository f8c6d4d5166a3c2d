using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;
using Microsoft.FSharp.Collections;

namespace Harness.Properties;

/// <summary>The implementation side of one run: the subject and how many steps it has taken.</summary>
public sealed class ImplementationRun<TSubject>(Func<TSubject> create)
{
    private readonly Lazy<TSubject> subject = new(create, LazyThreadSafetyMode.None);

    /// <summary>Made at the first call, so a <see cref="Divergence"/> while making it (a native library crashing in create) is that call's counterexample.</summary>
    public TSubject Subject => subject.Value;

    public int Steps { get; set; }
}

/// <summary>The model side after a step: the run's setup, an independent model, and what the step returned.</summary>
public sealed record ModelSnapshot<TSubject, TSetup>(TSetup Setup, TSubject Model, string Outcome);

/// <summary>
/// A <see cref="MachineSpec{TSubject,TSetup}"/> as an FsCheck.Experimental machine: FsCheck
/// generates the whole call list on cloned models, then checks each call on the implementation;
/// a <see cref="Divergence"/> thrown by a check stops the run there. Shrinking drops calls (whole
/// halves first) and then simplifies each call's arguments.
/// </summary>
public sealed class SpecMachine<TSubject, TSetup> : Machine<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>
    where TSetup : notnull
{
    private readonly MachineSpec<TSubject, TSetup> spec;
    private readonly Func<TSetup, TSubject> implementation;
    private readonly TimeSpan shrinkTime;

    /// <summary>Started at the first shrink; past <see cref="shrinkTime"/> no more candidates are offered.</summary>
    private System.Diagnostics.Stopwatch? shrinking;

    public SpecMachine(MachineSpec<TSubject, TSetup> spec, Func<TSetup, TSubject> implementation, TimeSpan shrinkTime)
    {
        this.spec = spec;
        this.implementation = implementation;
        this.shrinkTime = shrinkTime;
    }

    public override Arbitrary<Setup<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>> Setup =>
        Arb.From(
            spec.Setups.Select(NewSetup),
            setup => spec.ShrinkSetup(((SpecSetup)setup).Value).Select(NewSetup));

    public override Gen<Operation<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>> Next(ModelSnapshot<TSubject, TSetup> snapshot) =>
        spec.Next(snapshot.Setup, snapshot.Model).Select(op => (Operation<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>)new SpecOperation(spec, op));

    public override IEnumerable<FSharpList<Operation<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>>> ShrinkOperations(
        FSharpList<Operation<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>> operations)
    {
        shrinking ??= System.Diagnostics.Stopwatch.StartNew();
        return OpListShrinker.Shrink(operations.Select(o => ((SpecOperation)o).Op).ToList())
            .TakeWhile(_ => shrinking.Elapsed < shrinkTime)
            .Select(ops => ListModule.OfSeq(ops.Select(op => (Operation<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>)new SpecOperation(spec, op))));
    }

    private Setup<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>> NewSetup(TSetup value) => new SpecSetup(this, value);

    /// <summary>The setup and calls of a failing run FsCheck has shrunk.</summary>
    public static (TSetup Setup, IReadOnlyList<Op<TSubject>> Ops) Counterexample(object machineRun)
    {
        var run = (MachineRun<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>)machineRun;
        return (((SpecSetup)run.Setup.Item2).Value, run.Operations.Select(o => ((SpecOperation)o.Item1).Op).ToList());
    }

    private sealed class SpecSetup(SpecMachine<TSubject, TSetup> machine, TSetup value) : Setup<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>
    {
        public TSetup Value { get; } = value;

        public override ImplementationRun<TSubject> Actual() => new(() => machine.implementation(Value));

        public override ModelSnapshot<TSubject, TSetup> Model() => new(Value, machine.spec.CreateModel(Value), "");

        public override string ToString() => Value.ToString() ?? "";
    }

    private sealed class SpecOperation(MachineSpec<TSubject, TSetup> spec, Op<TSubject> op) : Operation<ImplementationRun<TSubject>, ModelSnapshot<TSubject, TSetup>>
    {
        public Op<TSubject> Op { get; } = op;

        public override ModelSnapshot<TSubject, TSetup> Run(ModelSnapshot<TSubject, TSetup> snapshot)
        {
            var model = spec.Clone(snapshot.Model);
            return snapshot with { Model = model, Outcome = Op.Apply(model) };
        }

        public override Property Check(ImplementationRun<TSubject> run, ModelSnapshot<TSubject, TSetup> snapshot)
        {
            StepCheck.Run(spec, snapshot.Model, snapshot.Outcome, run.Subject, Op);
            run.Steps++;
            return Prop.ToProperty(() => true);
        }

        public override string ToString() => Op.ToString();
    }
}
