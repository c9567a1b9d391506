using System.Globalization;
using System.Text;

namespace EnergyRegression.Hdf5;

/// <summary>
/// Reads the small pickled values pandas and PyTables store in attributes (column names, index names):
/// Python's pickle protocol 0 (text) — lists, tuples, dicts, strings, integers, floats, None, booleans. No
/// object is ever constructed: a pickle that names a class or function is refused (null), so reading an
/// attribute cannot run code. (Python's Lib/pickletools.py documents the opcodes.)
/// </summary>
internal static class Pickle
{
    /// <summary>The value (string, long, double, bool, null, List&lt;object?&gt; for lists and tuples, Dictionary for dicts), or null when it cannot be read.</summary>
    public static bool TryRead(byte[] data, out object? value)
    {
        value = null;
        try
        {
            var stack = new List<object?>();
            var marks = new Stack<int>();
            var memo = new Dictionary<string, object?>(StringComparer.Ordinal);
            int at = 0;
            string Line()
            {
                int end = Array.IndexOf(data, (byte)'\n', at);
                if (end < 0)
                {
                    throw new FormatException("unterminated line");
                }
                string s = Encoding.Latin1.GetString(data, at, end - at);
                at = end + 1;
                return s;
            }
            List<object?> PopMark()
            {
                int mark = marks.Pop();
                List<object?> items = stack.GetRange(mark, stack.Count - mark);
                stack.RemoveRange(mark, stack.Count - mark);
                return items;
            }
            while (at < data.Length)
            {
                char op = (char)data[at++];
                switch (op)
                {
                    case '(': marks.Push(stack.Count); break;
                    case 'l': stack.Add(PopMark()); break;
                    case 't': stack.Add(PopMark()); break;
                    case 'd':
                    {
                        List<object?> items = PopMark();
                        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                        for (int i = 0; i + 1 < items.Count; i += 2)
                        {
                            dict[Key(items[i])] = items[i + 1];
                        }
                        stack.Add(dict);
                        break;
                    }
                    case 'a':
                    {
                        object? item = stack[^1];
                        stack.RemoveAt(stack.Count - 1);
                        ((List<object?>)stack[^1]!).Add(item);
                        break;
                    }
                    case 'e':
                    {
                        List<object?> items = PopMark();
                        ((List<object?>)stack[^1]!).AddRange(items);
                        break;
                    }
                    case 's':
                    {
                        object? v = stack[^1];
                        object? k = stack[^2];
                        stack.RemoveRange(stack.Count - 2, 2);
                        ((Dictionary<string, object?>)stack[^1]!)[Key(k)] = v;
                        break;
                    }
                    case 'u':
                    {
                        List<object?> items = PopMark();
                        var dict = (Dictionary<string, object?>)stack[^1]!;
                        for (int i = 0; i + 1 < items.Count; i += 2)
                        {
                            dict[Key(items[i])] = items[i + 1];
                        }
                        break;
                    }
                    case 'V': stack.Add(Unescape(Line())); break;
                    case 'S': stack.Add(Unquote(Line())); break;
                    case 'I':
                    {
                        string s = Line();
                        stack.Add(s switch { "00" => false, "01" => true, _ => long.Parse(s, CultureInfo.InvariantCulture) });
                        break;
                    }
                    case 'L': stack.Add(long.Parse(Line().TrimEnd('L'), CultureInfo.InvariantCulture)); break;
                    case 'F': stack.Add(double.Parse(Line(), CultureInfo.InvariantCulture)); break;
                    case 'N': stack.Add(null); break;
                    case 'p': memo[Line()] = stack[^1]; break;
                    case 'g': stack.Add(memo[Line()]); break;
                    case '0': stack.RemoveAt(stack.Count - 1); break;
                    case '.':
                        value = stack.Count == 1 ? stack[0] : null;
                        return stack.Count == 1;
                    default:
                        return false; // a class, a function or a binary opcode: not read
                }
            }
            return false;
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or ArgumentException or InvalidOperationException or KeyNotFoundException or NullReferenceException)
        {
            return false;
        }
    }

    private static string Key(object? k) => Convert.ToString(k, CultureInfo.InvariantCulture) ?? "None";

    private static string Unescape(string s)
    {
        // raw-unicode-escape: \uXXXX and \UXXXXXXXX; everything else as is.
        var sb = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 5 < s.Length && s[i + 1] == 'u')
            {
                sb.Append((char)int.Parse(s.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 5;
            }
            else if (s[i] == '\\' && i + 9 < s.Length && s[i + 1] == 'U')
            {
                sb.Append(char.ConvertFromUtf32(int.Parse(s.AsSpan(i + 2, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                i += 9;
            }
            else
            {
                sb.Append(s[i]);
            }
        }
        return sb.ToString();
    }

    private static string Unquote(string s) => s.Length >= 2 && (s[0] == '\'' || s[0] == '"') ? s[1..^1] : s;
}
