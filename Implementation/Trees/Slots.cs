using System.Runtime.CompilerServices;

namespace Harness.Implementation;

/// <summary>A fixed row of <see cref="RangeTree{TValue}.Width"/> values stored inline in a tree node.</summary>
[InlineArray(16)]
internal struct Slots<T>
{
    private T element;
}
