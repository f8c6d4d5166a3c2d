using System.Collections.Concurrent;
using System.Diagnostics;
using Harness.Properties;

namespace Harness.Cli.Checking;

/// <summary>Running totals for one property during a check.</summary>
public sealed class PropertyTally(ICheckProperty property)
{
    public ICheckProperty Property { get; } = property;

    public long Runs;

    public long Operations;

    public Counterexample? Failure { get; set; }
}

/// <summary>
/// The catalogue checked in batches until a deadline, on several threads: each batch is a fresh
/// FsCheck run (fresh seed, or the next one from a start seed) of the next property still
/// holding. Longer call lists are allowed as time goes by. A failure is kept, saved as a
/// regression file, and its property checked no further.
/// </summary>
public sealed class CheckRun(IReadOnlyList<ICheckProperty> properties, TimeSpan budget, int jobs, ReplaySeed? startSeed, string regressions)
{
    private const int RunsPerBatch = 40;
    private readonly Stopwatch clock = new();
    private long batches;
    private int nextProperty = -1;

    public IReadOnlyList<PropertyTally> Tallies { get; } = properties.Select(p => new PropertyTally(p)).ToList();

    public TimeSpan Elapsed => clock.Elapsed;

    public TimeSpan Budget { get; } = budget;

    public long Runs => Tallies.Sum(t => Interlocked.Read(ref t.Runs));

    public long Operations => Tallies.Sum(t => Interlocked.Read(ref t.Operations));

    public bool Failed => Tallies.Any(t => t.Failure is not null);

    public ConcurrentQueue<string> Messages { get; } = new();

    public void Run(CancellationToken cancel)
    {
        clock.Start();
        var workers = Enumerable.Range(0, Math.Max(1, jobs)).Select(_ => Task.Run(() => Work(cancel), CancellationToken.None)).ToArray();
        Task.WaitAll(workers, CancellationToken.None);
        clock.Stop();
    }

    private void Work(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested && clock.Elapsed < Budget)
        {
            var tally = Next();
            if (tally is null)
                return;
            long batch = Interlocked.Increment(ref batches);
            var outcome = tally.Property.Check(new CheckSettings(RunsPerBatch, MaxOps(), Seed(batch)));
            Interlocked.Add(ref tally.Runs, outcome.Runs);
            Interlocked.Add(ref tally.Operations, outcome.Operations);
            if (outcome.Failure is { } failure)
                Record(tally, failure);
        }
    }

    /// <summary>The next property still holding, round-robin; null once every one has failed.</summary>
    private PropertyTally? Next()
    {
        for (int tries = 0; tries < Tallies.Count; tries++)
        {
            var tally = Tallies[(int)((uint)Interlocked.Increment(ref nextProperty) % (uint)Tallies.Count)];
            if (tally.Failure is null)
                return tally;
        }

        return null;
    }

    /// <summary>60 calls at first, up to 240 after an hour: long sequences find what short ones cannot.</summary>
    private int MaxOps() => 60 + (int)Math.Min(180, clock.Elapsed.TotalMinutes * 3);

    private ReplaySeed? Seed(long batch) =>
        startSeed is ReplaySeed seed ? seed with { Seed = seed.Seed + (ulong)(batch - 1) } : null;

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

            tally.Failure = failure with { SavedAs = saved };
        }
    }
}
