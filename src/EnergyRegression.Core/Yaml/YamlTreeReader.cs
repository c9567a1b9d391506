using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EnergyRegression.Core.Yaml;

/// <summary>Builds a <see cref="YamlNode"/> tree from YAML text with YamlDotNet's event parser.</summary>
public static class YamlTreeReader
{
    /// <summary>Parses one YAML document. Errors become <see cref="ConfigurationException"/> naming <paramref name="file"/>.</summary>
    public static YamlNode? Parse(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }
            parser.Consume<DocumentStart>();
            YamlNode root = ReadNode(parser, file, anchors);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                Mark start = parser.Current?.Start ?? Mark.Empty;
                throw new ConfigurationException(file, (int)start.Line, (int)start.Column,
                    "more than one YAML document ('---'); a chain file holds exactly one");
            }
            return root;
        }
        catch (YamlException e) when (FirstIndentationTab(text) is { } tab)
        {
            // YamlDotNet places tab errors at the previous token; the tab itself is what the user must fix.
            throw new ConfigurationException(file, tab.Line, tab.Column, "tab character in indentation; YAML indents with spaces", e);
        }
        catch (YamlException e)
        {
            // YamlDotNet's messages repeat the position in parentheses; keep only the explanation.
            string reason = e.InnerException?.Message ?? e.Message;
            int cut = reason.IndexOf("(Line:", StringComparison.Ordinal);
            reason = (cut > 0 ? reason[..cut] : reason).Trim().TrimEnd('.');
            throw new ConfigurationException(file, (int)e.Start.Line, (int)e.Start.Column, $"invalid YAML: {reason}", e);
        }
    }

    private static YamlNode ReadNode(IParser parser, string file, Dictionary<string, YamlNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out YamlNode? target))
            {
                return target;
            }
            throw Error(file, alias.Start, $"unknown alias '*{alias.Value.Value}'");
        }

        YamlNode node;
        string? anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = new YamlScalar(At(scalar.Start), scalar.Value, scalar.Style is ScalarStyle.Plain or ScalarStyle.Any);
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, file, anchors));
            }
            node = new YamlSequence(At(sequenceStart.Start), items);
            anchor = sequenceStart.Anchor.IsEmpty ? null : sequenceStart.Anchor.Value;
        }
        else if (parser.TryConsume<MappingStart>(out var mappingStart))
        {
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                ParsingEvent keyEvent = parser.Current!;
                if (ReadNode(parser, file, anchors) is not YamlScalar key)
                {
                    throw Error(file, keyEvent.Start, "a mapping key must be a plain value, not a list or mapping");
                }
                if (seen.TryGetValue(key.Value, out YamlScalar? first))
                {
                    throw Error(file, keyEvent.Start, $"duplicate key '{key.Value}' (first at line {first.Position.Line})");
                }
                seen.Add(key.Value, key);
                entries.Add(new(key, ReadNode(parser, file, anchors)));
            }
            node = new YamlMapping(At(mappingStart.Start), entries);
            anchor = mappingStart.Anchor.IsEmpty ? null : mappingStart.Anchor.Value;
        }
        else
        {
            ParsingEvent unexpected = parser.Current!;
            throw Error(file, unexpected.Start, $"unexpected YAML element {unexpected.GetType().Name}");
        }

        if (anchor is not null)
        {
            anchors[anchor] = node;
        }
        return node;
    }

    private static YamlPosition? FirstIndentationTab(string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            for (int c = 0; c < lines[i].Length && lines[i][c] is ' ' or '\t'; c++)
            {
                if (lines[i][c] == '\t')
                {
                    return new YamlPosition(i + 1, c + 1);
                }
            }
        }
        return null;
    }

    private static YamlPosition At(Mark mark) => new((int)mark.Line, (int)mark.Column);

    private static ConfigurationException Error(string file, Mark mark, string message) =>
        new(file, (int)mark.Line, (int)mark.Column, message);
}
