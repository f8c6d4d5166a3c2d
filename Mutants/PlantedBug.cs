using Harness.Model;
using Harness.Properties;

namespace Harness.Mutants;

/// <summary>
/// A historical bug of docs/SPEC.md §8, re-created and held to the property that should catch it.
/// </summary>
/// <param name="Name">A short handle (harness mutants --bug NAME).</param>
/// <param name="Section">The docs/SPEC.md §8 item.</param>
/// <param name="Origin">Where the bug lived and which kernel version or commit fixed it, when known.</param>
/// <param name="Property">The catalogue property, held against the buggy variant.</param>
/// <param name="Profile">The profile whose rules the property holds the variant to: the bug is a bug there.</param>
public sealed record PlantedBug(string Name, string Section, string Origin, ICheckProperty Property, KernelProfile Profile);
