using Harness.Model;
using Harness.Tests.Contracts;
using Xunit;

namespace Harness.Tests.Model;

/// <summary>docs/SPEC.md §1 "sysfs": how the kernel prints reserved_regions.</summary>
public sealed class SysfsFormatTests
{
    private static ResvRegion R(ulong start, ulong last, ResvType type) => new(new IovaRange(start, last), IommuProt.None, type);

    [Theory]
    [InlineData(ResvType.Direct, "0x0000000000001000 0x0000000000001fff direct\n")]
    [InlineData(ResvType.DirectRelaxable, "0x0000000000001000 0x0000000000001fff direct-relaxable\n")]
    [InlineData(ResvType.Reserved, "0x0000000000001000 0x0000000000001fff reserved\n")]
    [InlineData(ResvType.Msi, "0x0000000000001000 0x0000000000001fff msi\n")]
    [InlineData(ResvType.SwMsi, "0x0000000000001000 0x0000000000001fff msi\n")]
    public void Each_type_prints_as_the_kernel_prints_it(ResvType type, string line) =>
        Assert.Equal(line, SysfsFormat.FormatLine(R(0x1000, 0x1fff, type)));

    [Fact]
    public void The_Arm_platform_file_is_the_one_line_of_SPEC_section_7() =>
        Assert.Equal("0x0000000008000000 0x00000000080fffff msi\n", ReferencePlatform.ArmSmmuV3.Sysfs);

    [Fact]
    public void The_AMD_platform_file_lists_msi_then_HyperTransport() =>
        Assert.Equal(
            "0x00000000fee00000 0x00000000feefffff msi\n0x000000fd00000000 0x000000ffffffffff reserved\n",
            ReferencePlatform.AmdVi.Sysfs);
}

public sealed class ModelSysfsParserTests : SysfsParserContract
{
    protected override ISysfsParser Parser { get; } = new ModelSysfsParser();
}
