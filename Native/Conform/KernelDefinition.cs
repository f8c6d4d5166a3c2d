using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Native.Conform;

/// <summary>
/// One definition copied out of a file of the user's tree at build time, for a surface whose
/// file cannot be compiled whole: a function (from its definition to the closing brace in
/// column 0, the kernel's style; the return type on its line or the line before), a <c>struct X</c> / <c>enum X</c> (to the <c>};</c> in column 0), or
/// a one-line <c>#define X</c>. An optional one is copied only where the tree has it (what newer
/// kernels' code needs and older kernels' code never names).
/// </summary>
public sealed record KernelDefinition(string File, string Name, bool Optional = false)
{
    /// <summary>The definition's text from <paramref name="source"/> (the file's contents), led by a #line directive back to <paramref name="path"/>.</summary>
    /// <exception cref="NativeImplementationException">The file defines no such thing in the kernel's style, and it is not optional.</exception>
    public string Extract(string source, string path, string tree)
    {
        bool macro = Name.StartsWith("#define ", StringComparison.Ordinal);
        bool aggregate = Name.StartsWith("struct ", StringComparison.Ordinal) || Name.StartsWith("enum ", StringComparison.Ordinal);
        var start = macro ? Regex.Match(source, $@"^{Regex.Escape(Name)}\b[^\\\n]*$", RegexOptions.Multiline)
            : aggregate ? Regex.Match(source, $@"^{Regex.Escape(Name)} \{{", RegexOptions.Multiline)
            : Regex.Match(source, $@"^(?:[A-Za-z_][^;{{}}#\n]*\b|[A-Za-z_][^;{{}}#\n(]*\n){Regex.Escape(Name)}\([^;{{}}]*\)\s*\n\{{", RegexOptions.Multiline);
        string close = macro ? "" : aggregate ? "\n};" : "\n}";
        int end = !start.Success ? -1 : macro ? start.Index + start.Length : source.IndexOf(close, start.Index, StringComparison.Ordinal);
        if (end < 0 && Optional)
            return "";
        if (end < 0)
            throw new NativeImplementationException($"{tree}: {File}: no definition of {Name} where the kernel's style puts one (a tree the compat headers do not know)");
        int line = 1 + source.AsSpan(0, start.Index).Count('\n');
        return new StringBuilder()
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"#line {line} \"{path}\"\n")
            .Append(source, start.Index, end + close.Length - start.Index)
            .Append('\n')
            .ToString();
    }
}
