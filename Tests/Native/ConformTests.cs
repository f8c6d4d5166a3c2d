using Harness.Cli;
using Harness.Model;
using Harness.Native;
using Harness.Native.Conform;
using Harness.Properties;
using Harness.Tests.Cli;
using Xunit;

namespace Harness.Tests.Native;

/// <summary>harness conform's tree handling: versions to profiles, one-line errors for trees it cannot use, and the real Debian kernels when installed.</summary>
public sealed class ConformTests
{
    private static KernelTree Tree(TempDir dir, string makefile)
    {
        dir.File("Makefile", makefile);
        return KernelTree.Open(dir.Path, Path.Combine(dir.Path, "scratch"));
    }

    [Theory]
    [InlineData(6, 1, 192, "linux-6.1")]
    [InlineData(6, 5, 0, "linux-6.1")]
    [InlineData(6, 6, 0, "linux-6.12")]
    [InlineData(6, 12, 118, "linux-6.12")]
    [InlineData(6, 18, 0, "linux-6.18")]
    [InlineData(7, 0, 1, "linux-6.18")]
    public void The_version_comes_from_the_Makefile_and_picks_the_profile(int version, int patchlevel, int sublevel, string profile)
    {
        using var dir = new TempDir();
        var tree = Tree(dir, $"# SPDX\nVERSION = {version}\nPATCHLEVEL = {patchlevel}\nSUBLEVEL = {sublevel}\nEXTRAVERSION =\n");
        Assert.Equal(new Version(version, patchlevel, sublevel), tree.Version);
        Assert.Equal(profile, tree.Profile.Name);
    }

    [Fact]
    public void A_tree_older_than_every_profile_or_without_a_version_is_refused_with_the_reason()
    {
        using var dir = new TempDir();
        var old = Tree(dir, "VERSION = 5\nPATCHLEVEL = 4\nSUBLEVEL = 0\n");
        Assert.Contains("older than every profile", Assert.Throws<NativeImplementationException>(() => old.Profile).Message, StringComparison.Ordinal);
        using var other = new TempDir();
        Assert.Contains("sets no PATCHLEVEL", Assert.Throws<NativeImplementationException>(() => Tree(other, "VERSION = 6\n")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conform_on_what_is_not_a_tree_is_one_line_and_exit_2()
    {
        using var dir = new TempDir();
        Cli.Cli.Run("conform", "--linux-source", dir.File("notes.txt", "x")).AssertOneLineError(ExitCodes.Usage, "neither a Linux source directory nor a .tar.xz");
        Cli.Cli.Run("conform", "--linux-source", dir.Path).AssertOneLineError(ExitCodes.Usage, "no top-level Makefile");
    }

    [SkippableFact]
    public void A_tree_the_compat_layer_does_not_know_names_the_file_that_failed_and_why()
    {
        NativeExamples.Library("list_allocator.c");
        using var dir = new TempDir();
        dir.File("Makefile", "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n");
        Directory.CreateDirectory(Path.Combine(dir.Path, "drivers", "iommu"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "lib"));
        File.WriteAllText(Path.Combine(dir.Path, "drivers", "iommu", "iova.c"), "#include <linux/iova.h>\n");
        File.WriteAllText(Path.Combine(dir.Path, "lib", "rbtree.c"), "int rbtree;\n");
        var result = Cli.Cli.Run("conform", "--linux-source", dir.Path, "--output", Path.Combine(dir.Path, "out"));
        result.AssertOneLineError(ExitCodes.Usage, "drivers/iommu/iova.c failed to build");
        Assert.Contains("linux/iova.h", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_is_copied_out_of_the_tree_with_a_line_directive_back_to_it()
    {
        const string source = "/* c */\nstatic int helper(void);\n\nstruct r {\n\tint a;\n};\n\nstatic int insert(struct r *n,\n\t\t  int x)\n{\n\tif (x) {\n\t\treturn 1;\n\t}\n\treturn 0;\n}\nint after;\n";
        string function = new KernelDefinition("drivers/iommu/iommu.c", "insert").Extract(source, "/t/drivers/iommu/iommu.c", "t");
        Assert.Equal("#line 8 \"/t/drivers/iommu/iommu.c\"\nstatic int insert(struct r *n,\n\t\t  int x)\n{\n\tif (x) {\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n", function);
        Assert.Equal("#line 4 \"/t/x.h\"\nstruct r {\n\tint a;\n};\n", new KernelDefinition("x.h", "struct r").Extract(source, "/t/x.h", "t"));

        // A declaration is not a definition.
        var missing = Assert.Throws<NativeImplementationException>(() => new KernelDefinition("drivers/iommu/iommu.c", "helper").Extract(source, "/t/drivers/iommu/iommu.c", "t"));
        Assert.Equal("t: drivers/iommu/iommu.c: no definition of helper where the kernel's style puts one (a tree the compat headers do not know)", missing.Message);
    }

    [Fact]
    public void A_tree_whose_iommu_c_lacks_the_merge_is_refused_naming_the_file_and_the_function()
    {
        using var dir = new TempDir();
        var tree = Tree(dir, "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n");
        dir.File("include/linux/iommu.h", "enum iommu_resv_type {\n\tIOMMU_RESV_DIRECT,\n};\nstruct iommu_resv_region {\n\tint x;\n};\n");
        dir.File("drivers/iommu/iommu.c", "struct iommu_resv_region *iommu_alloc_resv_region(int x)\n{\n\treturn 0;\n}\n");
        var refused = Assert.Throws<NativeImplementationException>(() => ConformBuild.Build(tree, ConformSurface.ResvInsert, Path.Combine(dir.Path, "out")));
        Assert.Contains("drivers/iommu/iommu.c: no definition of iommu_insert_resv_region", refused.Message, StringComparison.Ordinal);
    }

    private static string[] DebianTarballs()
    {
        var tarballs = Directory.Exists("/usr/src") ? Directory.GetFiles("/usr/src", "linux-source-*.tar.xz") : [];
        Skip.If(tarballs.Length == 0 && !NativeExamples.Required, "no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.1 linux-source-6.12)");
        Assert.NotEmpty(tarballs);
        NativeExamples.Library("list_allocator.c");
        return tarballs;
    }

    private static readonly Harness.Properties.CheckSettings KernelBudget = new(300, 60, new Harness.Properties.ReplaySeed(3, 5, null));

    /// <summary>Fewer, since a burst is thousands of calls.</summary>
    private static readonly Harness.Properties.CheckSettings FastPathBudget = new(60, 30, new Harness.Properties.ReplaySeed(3, 5, null));

    [SkippableFact]
    public void Debian_iova_c_its_fast_path_and_iommu_insert_resv_region_conform_to_their_profile()
    {
        using var dir = new TempDir();
        foreach (string tarball in DebianTarballs())
        {
            var tree = KernelTree.Open(tarball, Path.Combine(dir.Path, "trees"));
            var iova = ConformBuild.Build(tree, ConformSurface.Iova, dir.Path);
            Assert.Equal(tree.Profile, iova.Profile);
            var outcome = NativeProperties.Allocator(iova, AllocPolicy.TopDown, iova.Profile).Check(KernelBudget);
            Assert.True(outcome.Passed, outcome.Failure?.Report());
            outcome = NativeProperties.FastPath(iova, iova.Profile).Check(FastPathBudget);
            Assert.True(outcome.Passed, outcome.Failure?.Report());

            var resv = ConformBuild.Build(tree, ConformSurface.ResvInsert, dir.Path);
            outcome = NativeProperties.ResvMerge(resv, resv.Profile).Check(KernelBudget);
            Assert.True(outcome.Passed, outcome.Failure?.Report());
        }
    }

    [SkippableFact]
    public void Debian_type1_shows_the_missed_overlap_at_the_top_of_space_and_conforms_without_it()
    {
        using var dir = new TempDir();
        foreach (string tarball in DebianTarballs())
        {
            var tree = KernelTree.Open(tarball, Path.Combine(dir.Path, "trees"));
            var type1 = ConformBuild.Build(tree, ConformSurface.Type1, dir.Path);
            var known = KnownDivergence.Of(tree, ConformSurface.Type1).ToList();
            Assert.Equal(["container.dma", "container.groups"], known.Select(k => k.Property));
            foreach (var divergence in known)
            {
                var property = NativeProperties.For(type1, type1.Profile).Single(p => p.Name == divergence.Property);
                var failure = property.Check(KernelBudget).Failure;
                Assert.NotNull(failure);
                Assert.True(divergence.Recognises(failure), failure.Report());

                var rest = divergence.Remainder(type1).Check(KernelBudget);
                Assert.True(rest.Passed, rest.Failure?.Report());
            }
        }
    }

    /// <summary>Each fact (docs/SPEC.md §2) and the errno of its last call, which the kernel's code and the model give alike.</summary>
    private static readonly (string Fact, Errno Expected)[] AttachFacts =
    [
        // A and B share a domain, B's Direct region cut the list's low edge: detaching B leaves it cut.
        ("shared-domain detach", Errno.EINVAL),
        // The same with a domain each: B's domain goes away and the list is widened again.
        ("own-domain detach", Errno.Ok),
        // The list [0, 0xffffffff] and an aperture meeting it in its last address: nothing is left.
        ("one-address remnant", Errno.EINVAL),
        // The list ends at 2^64 - 1, so the search above the new aperture wraps and misses the mapping at 4 GiB.
        ("aperture check wraps", Errno.Ok),
        // A mapping whose vaddr is invalidated blocks every attach.
        ("invalid vaddr", Errno.EBUSY),
    ];

    [SkippableFact]
    public void Debian_type1_attach_and_detach_do_what_the_spec_says_and_so_does_the_model()
    {
        using var dir = new TempDir();
        foreach (string tarball in DebianTarballs())
        {
            var tree = KernelTree.Open(tarball, Path.Combine(dir.Path, "trees"));
            var isolated = ConformBuild.Build(tree, ConformSurface.Type1, dir.Path);
            var inProcess = ConformBuild.Build(tree, ConformSurface.Type1, Path.Combine(dir.Path, "in-process"), isolated: false);
            var setup = new ContainerSetup(tree.Profile.Layouts[0], Vfio.DefaultDmaEntryLimit, false, tree.Profile.Name);
            foreach (var (fact, expected) in AttachFacts)
            {
                Assert.True(expected == Play(fact, isolated.Type1GroupsContainer(setup)), $"{tree.Version}: {fact}: the kernel's code does not give {expected}");
                Assert.True(expected == Play(fact, inProcess.Type1GroupsContainer(setup)), $"{tree.Version}: {fact}: the kernel's code in this process does not give {expected}");
                Assert.True(expected == Play(fact, new ContainerSpec(tree.Profile).CreateModel(setup)), $"{tree.Version}: {fact}: the model does not give {expected}");
            }
        }
    }

    /// <summary>The fact's calls up to the last, which must succeed; the last call's errno.</summary>
    private static Errno Play(string fact, IVfioContainer container)
    {
        static IommuGroup Group(int id, ulong start, ulong last, int? domain = null, params ResvRegion[] regions) =>
            new(id, new IovaRange(start, last), 0x1000, regions, MsiIsolated: true, domain);
        var direct = new ResvRegion(new IovaRange(0, 0xf_ffff), IommuProt.None, ResvType.Direct);
        void Ok(Errno errno) => Assert.Equal(Errno.Ok, errno);
        switch (fact)
        {
            case "shared-domain detach" or "own-domain detach":
                int? domain = fact == "shared-domain detach" ? 1 : null;
                Ok(container.AttachGroup(Group(1, 0, 0xffff_ffff, domain)));
                Ok(container.AttachGroup(Group(2, 0, 0xffff_ffff, domain, direct)));
                Ok(container.DetachGroup(2));
                return container.MapDma(0, 0x1000, 0, DmaMapFlags.Read);
            case "one-address remnant":
                Ok(container.AttachGroup(Group(1, 0, 0xffff_ffff)));
                return container.AttachGroup(Group(2, 0xffff_ffff, 0x1_ffff_ffff));
            case "aperture check wraps":
                Ok(container.AttachGroup(Group(1, 0, ulong.MaxValue)));
                Ok(container.MapDma(0x1_0000_0000, 0x1000, 0, DmaMapFlags.Read));
                return container.AttachGroup(Group(2, 0, 0xffff_ffff));
            default:
                Ok(container.AttachGroup(Group(1, 0, 0xffff_ffff)));
                Ok(container.MapDma(0x1000, 0x1000, 0, DmaMapFlags.Read));
                Ok(container.UnmapDma(0x1000, 0x1000, DmaUnmapFlags.Vaddr, out _));
                return container.AttachGroup(Group(2, 0, 0xffff_ffff));
        }
    }

    /// <summary>docs/SPEC.md §2 "Top of the address space": each UNMAP and the bytes it reports, which the kernel's tree and the model's give alike.</summary>
    private static readonly (string Fact, ulong Unmapped)[] TopOfSpaceFacts =
    [
        // An unmap ending at 2^64 - 1 finds no first node: nothing goes.
        ("unmap to the last byte", 0),
        // The last page's mapping, once made, cannot be unmapped.
        ("unmap the last page", 0),
        // Mapped first, the last page's mapping is the root and hides the rest from ALL.
        ("all, last page mapped first", 0),
        // Mapped last, it is a leaf: ALL takes both.
        ("all, last page mapped last", 0x2000),
    ];

    [SkippableFact]
    public void Debian_type1_unmaps_at_the_top_of_space_as_its_tree_says_and_so_does_the_model()
    {
        using var dir = new TempDir();
        foreach (string tarball in DebianTarballs())
        {
            var tree = KernelTree.Open(tarball, Path.Combine(dir.Path, "trees"));
            var type1 = ConformBuild.Build(tree, ConformSurface.Type1, dir.Path);
            var setup = new ContainerSetup(tree.Profile.Layouts[0], Vfio.DefaultDmaEntryLimit, false, tree.Profile.Name);
            foreach (var (fact, expected) in TopOfSpaceFacts)
            {
                Assert.True(expected == Unmapped(fact, type1.Type1GroupsContainer(setup)), $"{tree.Version}: {fact}: the kernel's code does not unmap 0x{expected:x}");
                Assert.True(expected == Unmapped(fact, new ContainerSpec(tree.Profile).CreateModel(setup)), $"{tree.Version}: {fact}: the model does not unmap 0x{expected:x}");
            }
        }
    }

    private static ulong Unmapped(string fact, IVfioContainer container)
    {
        const ulong lastPage = 0xffff_ffff_ffff_f000;
        Assert.Equal(Errno.Ok, container.AttachGroup(new IommuGroup(1, new IovaRange(0, ulong.MaxValue), 0x1000, [], MsiIsolated: true)));
        foreach (ulong iova in fact == "all, last page mapped first" ? new[] { lastPage, 0x1000UL } : fact == "unmap the last page" ? [lastPage] : [0x1000UL, lastPage])
            Assert.Equal(Errno.Ok, container.MapDma(iova, 0x1000, 0, DmaMapFlags.Read));
        var (start, size, flags) = fact switch
        {
            "unmap to the last byte" => (0x1000UL, 0xffff_ffff_ffff_f000UL, DmaUnmapFlags.None),
            "unmap the last page" => (lastPage, 0x1000UL, DmaUnmapFlags.None),
            _ => (0UL, 0UL, DmaUnmapFlags.All),
        };
        Assert.Equal(Errno.Ok, container.UnmapDma(start, size, flags, out ulong unmapped));
        return unmapped;
    }

    [SkippableFact]
    public void Debian_io_pgtable_arm_conforms_and_held_to_v6_18_it_still_splits_blocks()
    {
        using var dir = new TempDir();
        KernelTree? first = null;
        foreach (string tarball in DebianTarballs())
        {
            var tree = KernelTree.Open(tarball, Path.Combine(dir.Path, "trees"));
            first ??= tree;
            var table = ConformBuild.Build(tree, ConformSurface.PageTable, dir.Path);
            var outcome = NativeProperties.PageTable(table, table.Profile).Check(KernelBudget);
            Assert.True(outcome.Passed, outcome.Failure?.Report());

            var failure = NativeProperties.PageTable(table, KernelProfiles.Linux618).Check(KernelBudget).Failure;
            Assert.NotNull(failure);
            Assert.Contains("model:          unmapped 0x0", failure.Report(), StringComparison.Ordinal);
        }

        var inProcess = ConformBuild.Build(first!, ConformSurface.PageTable, Path.Combine(dir.Path, "in-process"), isolated: false);
        var direct = NativeProperties.PageTable(inProcess, inProcess.Profile).Check(KernelBudget);
        Assert.True(direct.Passed, direct.Failure?.Report());
    }

    [SkippableFact]
    public void Held_to_ideal_the_kernel_s_merge_diverges_at_the_top_of_the_address_space()
    {
        using var dir = new TempDir();
        var tree = KernelTree.Open(DebianTarballs()[0], Path.Combine(dir.Path, "trees"));
        var resv = ConformBuild.Build(tree, ConformSurface.ResvInsert, dir.Path);
        var failure = NativeProperties.ResvMerge(resv, KernelProfiles.Ideal).Check(KernelBudget).Failure;
        Assert.NotNull(failure);
        Assert.Contains("0xffffffffffffffff", failure.Setup, StringComparison.Ordinal);
    }
}
