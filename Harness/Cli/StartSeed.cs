using Harness.Properties;

namespace Harness.Cli;

/// <summary><c>--seed SEED,GAMMA</c> of the verbs that check properties: the seed given, or a random one.</summary>
public static class StartSeed
{
    public static ReplaySeed Parse(string? text) =>
        text is null ? ReplaySeed.Random()
        : ReplaySeed.TryParse(text, out var seed) && seed.Size is null ? seed
        : throw new CliException($"--seed '{text}': expected SEED,GAMMA with GAMMA odd");
}
