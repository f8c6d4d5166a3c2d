using System.Diagnostics;
using Harness.Cli;

namespace Harness.Cli.Fuzzing;

/// <summary>What a finished child process said.</summary>
public sealed record ChildResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>The last non-empty line of stderr (or stdout), for a one-line error.</summary>
    public string LastLine => (Stderr + "\n" + Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}

/// <summary>Starting the tools a campaign drives (dotnet, sharpfuzz, afl-fuzz, clang, the libFuzzer driver) and stopping them politely.</summary>
public static class ChildProcess
{
    public static ProcessStartInfo Info(string file, IEnumerable<string> arguments, string? directory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        return info;
    }

    /// <summary>Runs to completion (or until <paramref name="timeout"/>, then kills it); never throws for a failing tool, only for one that cannot start.</summary>
    public static ChildResult Run(ProcessStartInfo info, TimeSpan timeout)
    {
        using var process = Start(info);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        return new ChildResult(exited ? process.ExitCode : -1, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), !exited);
    }

    /// <summary>Starts a long-running tool with its output appended to <paramref name="log"/>.</summary>
    public static Process StartLogged(ProcessStartInfo info, string log)
    {
        var process = Start(info);
        process.StandardInput.Close();
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        var gate = new object();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
                return;
            lock (gate)
                writer.WriteLine(e.Data);
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Exited += (_, _) =>
        {
            process.WaitForExit();
            lock (gate)
                writer.Dispose();
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGINT, as Ctrl-C would send: AFL++ and libFuzzer both stop cleanly on it, writing their state.</summary>
    public static void Interrupt(Process process)
    {
        if (process.HasExited)
            return;
        using var kill = Start(Info("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        kill.WaitForExit();
    }

    /// <summary>Interrupts, waits up to <paramref name="grace"/>, then kills what is left.</summary>
    public static void Stop(IEnumerable<Process> processes, TimeSpan grace)
    {
        var running = processes.Where(p => !p.HasExited).ToList();
        running.ForEach(Interrupt);
        var deadline = Stopwatch.StartNew();
        foreach (var process in running)
        {
            var left = grace - deadline.Elapsed;
            if (!process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>The absolute path of a program on PATH, or null.</summary>
    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new CliException($"could not start {info.FileName}", ExitCodes.Internal);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException($"could not start {info.FileName}: {e.Message}", ExitCodes.Internal);
        }
    }
}
