using System.Diagnostics.CodeAnalysis;
using Harness.Fuzz;
using Harness.Implementation;
using Harness.Model;
using Harness.Properties;
using Xunit;

namespace Harness.Tests.Fuzz;

/// <summary>
/// Every committed fuzz input (seeds in corpus/TARGET, minimized crashers in
/// corpus/regressions/TARGET) replayed through its target without instrumentation.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string> Targets() => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_committed_input_passes(string name)
    {
        var info = FuzzTargets.Find(name)!;
        var target = info.Create(null);
        var directories = new[] { RepositoryRoot.Corpus(name), RepositoryRoot.Corpus("regressions", name) }.Where(Directory.Exists);
        var inputs = Replay.Inputs(directories).ToList();
        Assert.NotEmpty(inputs);
        var crashes = inputs
            .Select(path => (path, error: Replay.RunOne(target, File.ReadAllBytes(path))))
            .Where(r => r.error is not null)
            .Select(r => $"{r.path}: {r.error!.Message}")
            .ToList();
        Assert.True(crashes.Count == 0, string.Join("\n", crashes));
    }

    [Fact]
    public void A_parser_that_disagrees_with_the_model_is_a_finding()
    {
        var lenient = new CapChainTarget(new AcceptsShortBuffers());
        var error = Replay.RunOne(lenient, new byte[7]);
        Assert.IsType<Divergence>(error);
        Assert.Contains("model rejects (BufferTooShort", error.Message, StringComparison.Ordinal);
        Assert.Null(Replay.RunOne(lenient, File.ReadAllBytes(RepositoryRoot.Corpus("capchain", "v6.6-intel.bin"))));
    }

    /// <summary>The fast parser, except that it accepts buffers shorter than 16 bytes as empty.</summary>
    private sealed class AcceptsShortBuffers : ICapChainParser
    {
        public bool TryParse(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out ParsedInfo? info, out CapChainError error)
        {
            if (buffer.Length >= 16)
                return new FastCapChainParser().TryParse(buffer, out info, out error);
            (info, error) = (new ParsedInfo(buffer.Length, 16, 0, 0, 0, []), default);
            return true;
        }
    }
}
