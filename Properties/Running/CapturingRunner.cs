using FsCheck;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;

namespace Harness.Properties;

/// <summary>An FsCheck runner that prints nothing and keeps the final result for us to report.</summary>
internal sealed class CapturingRunner : IRunner
{
    public TestResult? Result { get; private set; }

    public int Shrinks { get; private set; }

    public void OnStartFixture(Type type)
    {
    }

    public void OnArguments(int ntest, FSharpList<object> args, FSharpFunc<int, FSharpFunc<FSharpList<object>, string>> every)
    {
    }

    public void OnShrink(FSharpList<object> args, FSharpFunc<FSharpList<object>, string> everyShrink) => Shrinks++;

    public void OnFinished(string name, TestResult testResult) => Result = testResult;
}
