using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>Turns records into a machine's setup and calls; a call may aim at the model's current state (its mappings, its free space).</summary>
public interface IOpDecoder<TSubject, TSetup>
{
    TSetup Setup(OpRecord record);

    Op<TSubject> Call(OpRecord record, TSetup setup, TSubject model);
}
