using SharpFuzz;

namespace Harness.Fuzz;

/// <summary>
/// <c>Harness.Fuzz TARGET</c> runs under AFL++ (fork server on stdin) or, when SharpFuzz's
/// libFuzzer variables are set, under a libFuzzer driver. <c>Harness.Fuzz TARGET FILE|DIR...</c>
/// replays inputs without a fuzzer and exits 1 if any crashes.
/// </summary>
public static class FuzzMain
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || FuzzTargets.Find(args[0]) is not FuzzTargetInfo info)
        {
            error.WriteLine($"usage: Harness.Fuzz TARGET [FILE|DIR...]   (targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))})");
            return 2;
        }

        if (args.Length > 1)
        {
            var missing = args[1..].FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p));
            if (missing is not null)
            {
                error.WriteLine($"Harness.Fuzz: {missing}: no such file or directory");
                return 2;
            }

            return Replay.Run(info, args[1..], output) == 0 ? 0 : 1;
        }

        IFuzzTarget? target = null;
        if (Environment.GetEnvironmentVariable("__LIBFUZZER_SHM_ID") is not null)
        {
            Fuzzer.LibFuzzer.Run(input => (target ??= info.Create()).Run(input));
        }
        else
        {
            Fuzzer.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                (target ??= info.Create()).Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            });
        }

        return 0;
    }
}
