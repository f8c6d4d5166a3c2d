using System.Reflection;
using Harness.Implementation;
using Harness.Model;
using Xunit;

namespace Harness.Tests.Invariants;

/// <summary>
/// Breaks one invariant of a live structure on purpose by writing its private state, so that a
/// checker test can prove the matching check fires (nothing in production code can do this).
/// </summary>
internal static class Surgery
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>The checker names <paramref name="phrase"/>: the check that fired is the one the test broke.</summary>
    public static void ExpectViolation(Action check, string phrase)
    {
        var violation = Assert.Throws<InvariantViolation>(check);
        Assert.Contains(phrase, violation.Message, StringComparison.Ordinal);
    }

    public static T Get<T>(object owner, string field) => (T)Field(owner, field).GetValue(owner)!;

    public static void Set(object owner, string field, object? value) => Field(owner, field).SetValue(owner, value);

    /// <summary>The backing field of an auto-property with a private setter.</summary>
    public static void SetProperty(object owner, string property, object? value) => Set(owner, $"<{property}>k__BackingField", value);

    public static T Slot<T>(object node, string field, int index) => Get<Slots<T>>(node, field)[index];

    public static void SetSlot<T>(object node, string field, int index, T value)
    {
        var slots = Get<Slots<T>>(node, field);
        slots[index] = value;
        Set(node, field, slots);
    }

    /// <summary>Slot 0 of a row whose element type the test cannot name (a tree's private node types).</summary>
    public static object FirstSlot(object node, string field) => Get<object>(Get<object>(node, field), "element");

    private static FieldInfo Field(object owner, string name)
    {
        for (var type = owner.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField(name, Instance) is { } field)
                return field;
        }

        throw new MissingFieldException(owner.GetType().Name, name);
    }
}
