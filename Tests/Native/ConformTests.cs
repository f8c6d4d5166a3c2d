using Harness.Cli;
using Harness.Model;
using Harness.Native;
using Harness.Native.Conform;
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

    [SkippableFact]
    public void Debian_iova_c_conforms_to_its_profile()
    {
        var tarballs = Directory.Exists("/usr/src") ? Directory.GetFiles("/usr/src", "linux-source-*.tar.xz") : [];
        Skip.If(tarballs.Length == 0 && !NativeExamples.Required, "no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.1 linux-source-6.12)");
        Assert.NotEmpty(tarballs);
        NativeExamples.Library("list_allocator.c");
        using var dir = new TempDir();
        foreach (string tarball in tarballs)
        {
            var tree = KernelTree.Open(tarball, Path.Combine(dir.Path, "trees"));
            var library = ConformBuild.Build(tree, ConformSurface.Iova, dir.Path);
            Assert.Equal(tree.Profile, library.Profile);
            var outcome = NativeProperties.Allocator(library, AllocPolicy.TopDown, library.Profile)
                .Check(new Harness.Properties.CheckSettings(300, 60, new Harness.Properties.ReplaySeed(3, 5, null)));
            Assert.True(outcome.Passed, outcome.Failure?.Report());
        }
    }
}
