namespace Harness.Properties;

/// <summary>
/// One ABI call with concrete arguments. It is applied, through the interface both sides
/// implement, to the model and to the implementation alike, so every call is written once.
/// Ops are records: they compare, print (one call per line, hex addresses) and serialize into
/// regression files.
/// </summary>
public abstract record Op<TSubject>
{
    /// <summary>Performs the call; returns everything the call returned (errno and out values), canonically formatted.</summary>
    public abstract string Apply(TSubject subject);

    /// <summary>Simpler versions of this call (smaller numbers, fewer flags), simplest first.</summary>
    public virtual IEnumerable<Op<TSubject>> Shrink() => [];
}
