using System.Collections.Concurrent;
using System.Diagnostics;
using Harness.Implementation;
using Harness.Properties;

namespace Harness.Cli.Checking;

/// <summary>Running totals for one property during a check.</summary>
public sealed class PropertyTally(ICheckProperty property)
{
    public ICheckProperty Property { get; } = property;

    public long Runs;

    public long Operations;

    /// <summary>Cases handed to workers so far (a whole batch each time), to stop at <c>--runs</c> without overshooting.</summary>
    internal long Scheduled;

    public Counterexample? Failure { get; set; }

    public HarnessFault? Fault { get; set; }

    public bool Done => Failure is not null || Fault is not null;

    /// <summary>The structural events its cases reached, by event (all zero unless the check counts them, <see cref="CheckRun.Coverage"/>).</summary>
    public long[] Events { get; } = new long[StructuralEvents.Count];

    internal void AddEvents(long[] counts)
    {
        lock (Events)
        {
            for (int i = 0; i < counts.Length; i++)
                Events[i] += counts[i];
        }
    }
}

/// <summary>
/// The catalogue checked in batches on several threads until a deadline, until every property has
/// had its count of cases, or until interrupted: each batch is a fresh FsCheck run, from the next
/// seed after the start seed, of the next property still holding. Longer call lists are allowed
/// as time goes by. A failure is kept, saved as a regression file, and its property checked no
/// further; so is a fault of the harness's own, which the other properties outlive.
/// </summary>
public sealed class CheckRun(IReadOnlyList<ICheckProperty> properties, CheckBudget budget, int jobs, ReplaySeed start, string regressions, bool coverage = false)
{
    private const int RunsPerBatch = 40;
    private readonly Stopwatch clock = new();
    private long batches;
    private int nextProperty = -1;

    public IReadOnlyList<PropertyTally> Tallies { get; } = properties.Select(p => new PropertyTally(p)).ToList();

    public TimeSpan Elapsed => clock.Elapsed;

    public CheckBudget Budget { get; } = budget;

    /// <summary>The seed the first batch starts from; batch k starts from seed + k - 1.</summary>
    public ReplaySeed Start { get; } = start;

    public long Runs => Tallies.Sum(t => Interlocked.Read(ref t.Runs));

    public long Operations => Tallies.Sum(t => Interlocked.Read(ref t.Operations));

    public bool Failed => Tallies.Any(t => t.Failure is not null);

    public bool Faulted => Tallies.Any(t => t.Fault is not null);

    public bool Interrupted { get; private set; }

    /// <summary>Whether the structural events each case reaches are counted (<c>--coverage</c>).</summary>
    public bool Coverage { get; } = coverage;

    public ConcurrentQueue<string> Messages { get; } = new();

    public void Run(CancellationToken cancel)
    {
        clock.Start();
        var workers = Enumerable.Range(0, Math.Max(1, jobs)).Select(_ => Task.Run(() => Work(cancel), CancellationToken.None)).ToArray();
        Task.WaitAll(workers, CancellationToken.None);
        clock.Stop();
        Interrupted = cancel.IsCancellationRequested;
    }

    private void Work(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested && clock.Elapsed < Budget.Time)
        {
            if (Next() is not var (tally, runs))
                return;
            var seed = Start with { Seed = Start.Seed + (ulong)(Interlocked.Increment(ref batches) - 1) };
            var settings = new CheckSettings(runs, MaxOps(), seed);
            PropertyOutcome outcome;
            try
            {
                if (Coverage)
                {
                    outcome = StructuralEvents.Counted(() => tally.Property.Check(settings), out long[] reached);
                    tally.AddEvents(reached);
                }
                else
                {
                    outcome = tally.Property.Check(settings);
                }
            }
            catch (Exception e)
            {
                outcome = new PropertyOutcome(tally.Property.Name, 0, 0, null, new HarnessFault(tally.Property.Name, "while checking", e, seed));
            }

            Interlocked.Add(ref tally.Runs, outcome.Runs);
            Interlocked.Add(ref tally.Operations, outcome.Operations);
            if (outcome.Failure is { } failure)
                Record(tally, failure);
            if (outcome.Fault is { } fault)
                lock (tally)
                    tally.Fault ??= fault;
        }
    }

    /// <summary>The next property still to check and how many cases to give it, round-robin; null once none is left.</summary>
    private (PropertyTally Tally, int Runs)? Next()
    {
        for (int tries = 0; tries < Tallies.Count; tries++)
        {
            var tally = Tallies[(int)((uint)Interlocked.Increment(ref nextProperty) % (uint)Tallies.Count)];
            if (tally.Done)
                continue;
            if (Budget.Runs is not long total)
                return (tally, RunsPerBatch);
            int perRun = tally.Property.CasesPerRun;
            long before = Interlocked.Add(ref tally.Scheduled, RunsPerBatch * perRun) - (RunsPerBatch * perRun);
            long left = (total - before + perRun - 1) / perRun;
            if (left > 0)
                return (tally, (int)Math.Min(RunsPerBatch, left));
        }

        return null;
    }

    /// <summary>60 calls at first, up to 240 after an hour: long sequences find what short ones cannot.</summary>
    private int MaxOps() => 60 + (int)Math.Min(180, clock.Elapsed.TotalMinutes * 3);

    private void Record(PropertyTally tally, Counterexample failure)
    {
        lock (tally)
        {
            if (tally.Failure is not null)
                return;
            string? saved = null;
            try
            {
                saved = failure.File.Save(regressions);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Messages.Enqueue($"could not write the regression file for {tally.Property.Name}: {e.Message}");
            }
            catch (Exception e)
            {
                tally.Fault ??= new HarnessFault(tally.Property.Name, "while writing the regression file", e, failure.Replay);
            }

            tally.Failure = failure with { SavedAs = saved };
        }
    }
}

/// <summary>How long a check may run, and at most how many cases each property gets (<c>--runs</c>), if bounded.</summary>
public sealed record CheckBudget(TimeSpan Time, long? Runs);
