using System.Text;

namespace ProviderPortal.Web.Tests.Deploy;

/// <summary>One nginx directive: its name, its arguments (quotes removed) and its block, if it has one.</summary>
internal sealed record NginxDirective(string Name, IReadOnlyList<string> Args, IReadOnlyList<NginxDirective>? Block)
{
    public IEnumerable<NginxDirective> Children(string name) =>
        (Block ?? []).Where(d => d.Name == name);

    public override string ToString() => $"{Name} {string.Join(' ', Args)}";
}

/// <summary>
/// A small reader of nginx's configuration syntax (words, quoted strings, comments, blocks, includes),
/// enough for the tests to look at what a location block really contains instead of grepping lines.
/// </summary>
internal static class NginxConfig
{
    /// <summary>Reads a file; `include` directives with a relative path are replaced by the included file's directives.</summary>
    public static IReadOnlyList<NginxDirective> Load(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return ExpandIncludes(Parse(File.ReadAllText(path)), directory);
    }

    public static IReadOnlyList<NginxDirective> Parse(string text)
    {
        var tokens = Tokenize(text);
        var position = 0;
        var result = ParseBlock(tokens, ref position, topLevel: true);
        return result;
    }

    /// <summary>Every directive at any depth, parents before children.</summary>
    public static IEnumerable<NginxDirective> Descendants(IEnumerable<NginxDirective> directives)
    {
        foreach (var directive in directives)
        {
            yield return directive;
            foreach (var child in Descendants(directive.Block ?? []))
            {
                yield return child;
            }
        }
    }

    private static List<NginxDirective> ExpandIncludes(IReadOnlyList<NginxDirective> directives, string directory)
    {
        var result = new List<NginxDirective>();
        foreach (var directive in directives)
        {
            if (directive.Name == "include" && directive.Args.Count == 1 && !Path.IsPathRooted(directive.Args[0]))
            {
                result.AddRange(Load(Path.Combine(directory, directive.Args[0])));
            }
            else if (directive.Block is not null)
            {
                result.Add(directive with { Block = ExpandIncludes(directive.Block, directory) });
            }
            else
            {
                result.Add(directive);
            }
        }

        return result;
    }

    private static List<NginxDirective> ParseBlock(List<(string Text, bool Quoted)> tokens, ref int position, bool topLevel)
    {
        var directives = new List<NginxDirective>();
        var words = new List<string>();
        while (position < tokens.Count)
        {
            var (text, quoted) = tokens[position++];
            if (!quoted && text == ";")
            {
                if (words.Count == 0)
                {
                    throw new FormatException("An empty directive (a lone ';').");
                }

                directives.Add(new NginxDirective(words[0], words.Skip(1).ToList(), null));
                words = [];
            }
            else if (!quoted && text == "{")
            {
                if (words.Count == 0)
                {
                    throw new FormatException("A block without a directive name.");
                }

                var block = ParseBlock(tokens, ref position, topLevel: false);
                directives.Add(new NginxDirective(words[0], words.Skip(1).ToList(), block));
                words = [];
            }
            else if (!quoted && text == "}")
            {
                if (topLevel || words.Count > 0)
                {
                    throw new FormatException("Unbalanced '}' or a directive without ';'.");
                }

                return directives;
            }
            else
            {
                words.Add(text);
            }
        }

        if (!topLevel || words.Count > 0)
        {
            throw new FormatException("Unexpected end of file: a block or a directive is not closed.");
        }

        return directives;
    }

    private static List<(string Text, bool Quoted)> Tokenize(string text)
    {
        var tokens = new List<(string, bool)>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is ';' or '{' or '}')
            {
                tokens.Add((c.ToString(), false));
                i++;
            }
            else if (c is '"' or '\'')
            {
                var value = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                if (i >= text.Length)
                {
                    throw new FormatException("A quoted string is not closed.");
                }

                i++;
                tokens.Add((value.ToString(), true));
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (';' or '{' or '}'))
                {
                    i++;
                }

                tokens.Add((text[start..i], false));
            }
        }

        return tokens;
    }
}
