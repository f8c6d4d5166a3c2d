using System.CommandLine;

namespace Harness.Cli;

/// <summary>Positional file arguments that refuse option-like tokens, so a mistyped option is a usage error rather than "no such file".</summary>
public static class FileArguments
{
    public static Argument<string[]> Many(string name, string description)
    {
        var argument = new Argument<string[]>(name) { Arity = ArgumentArity.OneOrMore, Description = description };
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-') && t.Value.Length > 1))
                result.AddError($"Unrecognized option '{token.Value}'.");
        });
        return argument;
    }
}
