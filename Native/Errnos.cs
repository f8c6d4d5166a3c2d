using Harness.Model;

namespace Harness.Native;

/// <summary>The ABI's return codes: 0, or a negative Linux errno.</summary>
internal static class Errnos
{
    /// <summary>A positive return is not an errno: it shows as the number it is, so it differs from every model answer.</summary>
    public static Errno FromNative(int code) => code <= 0 ? (Errno)(-code) : (Errno)(-1000 - code);
}
