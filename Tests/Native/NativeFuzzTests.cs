using Harness.Cli;
using Harness.Fuzz;
using Harness.Tests.Cli;
using Xunit;

namespace Harness.Tests.Native;

/// <summary>The capchain fuzz target against a native parser, without a fuzzer: the seed corpus replays, the planted walk is found, bad use is one line.</summary>
public sealed class NativeFuzzTests
{
    private static string Corpus => Path.Combine(RepositoryRoot.Path, "corpus", "capchain");

    [SkippableFact]
    public void The_seed_corpus_replays_clean_through_the_correct_parser_and_not_through_the_cycle_blind_one()
    {
        var output = new StringWriter();
        Assert.Equal(0, FuzzMain.Run(["capchain", "--native", NativeExamples.Library("chain_parser.c"), Corpus], output, TextWriter.Null));
        Assert.Contains("0 crashes", output.ToString(), StringComparison.Ordinal);

        output = new StringWriter();
        Assert.Equal(1, FuzzMain.Run(["capchain", "--native", NativeExamples.Library("chain_parser.c", "PLANT_CYCLE_BLIND"), Corpus], output, TextWriter.Null));
        Assert.Contains("NextNotForward", output.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_triage_replay_of_a_native_parser_says_what_diverged()
    {
        using var dir = new TempDir();
        var buffer = new byte[72];
        new Harness.Model.ModelInfoWriter().Write(buffer, Harness.Model.InfoLayout.Type1V66, 0x1000, 65535, []);
        BitConverter.TryWriteBytes(buffer.AsSpan(28), 24u);
        BitConverter.TryWriteBytes(buffer.AsSpan(0), 72u);
        string file = dir.File("loop", buffer);
        var output = new StringWriter();
        Assert.Equal(0, FuzzMain.Run(["capchain", "--native", NativeExamples.Library("chain_parser.c"), "--triage", file], output, TextWriter.Null));
        Assert.False(TriageVerdict.FromJson(output.ToString().Trim())!.Crashed);
    }

    [SkippableFact]
    public void Fuzz_native_takes_only_a_library_with_a_parser_and_only_the_capchain_target()
    {
        Cli.Cli.Run("fuzz", "sysfs", "--native", NativeExamples.Library("chain_parser.c")).AssertOneLineError(ExitCodes.Usage, "only the capchain target");
        Cli.Cli.Run("fuzz", "capchain", "--native", NativeExamples.Library("list_allocator.c")).AssertOneLineError(ExitCodes.Usage, "implements no capchain parser");
        Cli.Cli.Run("fuzz", "capchain", "--native", "/nonexistent/lib.so").AssertOneLineError(ExitCodes.Usage, "no such file");
        Assert.Equal(2, FuzzMain.Run(["sysfs", "--native", "x.so"], TextWriter.Null, TextWriter.Null));
    }
}
