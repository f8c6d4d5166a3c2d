using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Harness.Cli;

/// <summary>
/// SIGINT and SIGTERM as a cancellation for the long-running verbs: the first signal asks the verb
/// to stop, summarise and exit 130; a second one ends the process at once, as usual, unless it
/// comes within <see cref="Echo"/> of the first: timeout(1) and other supervisors deliver one
/// interruption twice, to the process and to its process group.
/// </summary>
public sealed class Interruption : IDisposable
{
    private static readonly TimeSpan Echo = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource source = new();
    private readonly Stopwatch sinceFirst = new();
    private readonly PosixSignalRegistration[] registrations;

    public Interruption() =>
        registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];

    public CancellationToken Token => source.Token;

    private void Handle(PosixSignalContext context)
    {
        lock (sinceFirst)
        {
            if (sinceFirst.IsRunning)
            {
                context.Cancel = sinceFirst.Elapsed < Echo;
                return;
            }

            context.Cancel = true;
            sinceFirst.Start();
        }

        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
            registration.Dispose();
        source.Dispose();
    }
}
