using System.ComponentModel;
using System.Diagnostics;

namespace Harness.Native.Conform;

/// <summary>The external programs conform runs (tar, the C compiler): run to completion, output captured.</summary>
internal static class Tools
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <exception cref="NativeImplementationException">The program is not installed; <paramref name="what"/> says which and how to get it.</exception>
    public static Result Run(ProcessStartInfo start, string what)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new NativeImplementationException($"could not start {what}");
        }
        catch (Win32Exception)
        {
            throw new NativeImplementationException($"{start.FileName} is not installed: {what}");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new Result(process.ExitCode, output, error.Result);
        }
    }

    public static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
}
