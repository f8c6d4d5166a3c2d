using System.Globalization;
using FsCheck;
using Microsoft.FSharp.Core;

namespace Harness.Properties;

/// <summary>
/// FsCheck's (seed, gamma) and, to replay one failing case, its size. Written "seed,gamma[,size]".
/// Without a size, a run starts from this seed and is reproducible run for run.
/// </summary>
public readonly record struct ReplaySeed(ulong Seed, ulong Gamma, int? Size = null)
{
    public static bool TryParse(string text, out ReplaySeed seed)
    {
        seed = default;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is < 2 or > 3
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong s)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong gamma)
            || gamma % 2 == 0)
            return false;
        int? size = null;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int z))
                return false;
            size = z;
        }

        seed = new ReplaySeed(s, gamma, size);
        return true;
    }

    /// <summary>A fresh seed: FsCheck's gamma must be odd.</summary>
    public static ReplaySeed Random() => new((ulong)System.Random.Shared.NextInt64(), (ulong)System.Random.Shared.NextInt64() | 1);

    internal FSharpOption<Replay> ToFsCheck() =>
        FSharpOption<Replay>.Some(new Replay(new Rnd(Seed, Gamma), Size is int size ? FSharpOption<int>.Some(size) : FSharpOption<int>.None));

    public override string ToString() => Size is int size ? $"{Seed},{Gamma},{size}" : $"{Seed},{Gamma}";
}
