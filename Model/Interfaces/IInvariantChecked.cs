namespace Harness.Model;

/// <summary>An implementation that can check its own internal consistency; properties call it after every step.</summary>
public interface IInvariantChecked
{
    /// <summary>Throws when a structure is internally inconsistent.</summary>
    void CheckInvariants();
}
