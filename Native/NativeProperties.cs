using Harness.Model;
using Harness.Properties;

namespace Harness.Native;

/// <summary>
/// The catalogue's properties for the surfaces a native library implements, held to the profile it
/// claims (or the one asked for). The names are the catalogue's, so regression files replay either way.
/// </summary>
public static class NativeProperties
{
    public static IReadOnlyList<ICheckProperty> For(NativeImplementation native, KernelProfile profile) =>
        native.AllocPolicies.Select(policy => Allocator(native, policy, profile)).ToList();

    public static MachineProperty<IIovaAllocator, AllocatorSetup, AllocatorOp> Allocator(NativeImplementation native, AllocPolicy policy, KernelProfile profile)
    {
        var property = PropertyCatalogue.Allocator(policy, profile);
        return property.Against(property.Name, setup => native.Allocator(policy, setup.Domain), $"--native {native.Path} --property {property.Name}", $"--native {native.Path} ");
    }
}
