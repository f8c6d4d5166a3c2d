using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Tests.Cli;

/// <summary>
/// The built <c>harness</c> run as a user runs it: its own process (dotnet harness.dll from the
/// test's output), a PATH without AFL++ or clang, standard input from a file or nothing, and
/// signals sent while it runs.
/// </summary>
public static class BuiltCli
{
    private static readonly string Dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "harness.dll");

    public static CliResult Run(params string[] args) => Run(args, stdin: null);

    public static CliResult Run(string[] args, string? stdin, string? workingDirectory = null)
    {
        using var process = Start(args, workingDirectory);
        if (stdin is not null)
        {
            using var input = File.OpenRead(stdin);
            input.CopyTo(process.StandardInput.BaseStream);
        }

        process.StandardInput.Close();
        return Finish(process, TimeSpan.FromMinutes(2));
    }

    /// <summary>Starts harness, waits until its standard output shows <paramref name="ready"/>, sends <paramref name="signal"/> (<paramref name="times"/> times, 100 ms apart), and collects the result.</summary>
    public static (CliResult Result, TimeSpan Stopping) Interrupt(string[] args, string ready, int signal, int times = 1)
    {
        using var process = Start(args, null);
        process.StandardInput.Close();
        var output = new StringBuilder();
        var seen = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.Append(e.Data).Append('\n');
            if (e.Data.Contains(ready, StringComparison.Ordinal))
                seen.Set();
        };
        var error = process.StandardError.ReadToEndAsync();
        process.BeginOutputReadLine();
        if (!seen.Wait(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"harness never printed '{ready}': {output}");
        }

        Thread.Sleep(500);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < times; i++)
        {
            // Apart enough not to coalesce into one pending signal, as timeout(1)'s two sends sometimes do not.
            if (i > 0)
                Thread.Sleep(100);
            Kill(process.Id, signal);
        }
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"harness did not stop within 60 s of signal {signal}: {output}");
        }

        process.WaitForExit();
        var stopping = clock.Elapsed;
        lock (output)
            return (new CliResult(process.ExitCode, output.ToString(), error.GetAwaiter().GetResult()), stopping);
    }

    public const int Sigint = 2;
    public const int Sigterm = 15;

    private static Process Start(string[] args, string? workingDirectory)
    {
        var info = new ProcessStartInfo(Dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
        };
        info.ArgumentList.Add(Dll);
        foreach (string arg in args)
            info.ArgumentList.Add(arg);

        // No fuzzing tool may be found, whatever this machine has installed.
        info.Environment["PATH"] = Path.GetDirectoryName(Dotnet) is { Length: > 0 } dir && File.Exists(Dotnet) ? dir : "/nonexistent";
        info.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(info)!;
    }

    private static CliResult Finish(Process process, TimeSpan timeout)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"harness did not finish within {timeout}");
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
