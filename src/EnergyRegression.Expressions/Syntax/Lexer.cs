using System.Globalization;

namespace EnergyRegression.Expressions.Syntax;

/// <summary>Splits expression text into tokens. Keywords (and, or, not, true, false, pi) come out as identifiers.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
                continue;
            }
            tokens.Add(ReadOperator(text, ref i));
        }
        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    // digits [. digits] [(e|E) [+|-] digits], or . digits [exponent]
    private static Token ReadNumber(string text, ref int i)
    {
        int start = i;
        SkipDigits(text, ref i);
        if (i < text.Length && text[i] == '.')
        {
            i++;
            SkipDigits(text, ref i);
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }
            int exponentStart = i;
            SkipDigits(text, ref i);
            if (i == exponentStart)
            {
                // Include a trailing identifier part so the message shows what was written ("1e" or "1eV").
                while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
                {
                    i++;
                }
                throw new ExpressionSyntaxException(
                    $"malformed number '{text[start..i]}' at character {start}: the exponent needs digits, e.g. 1e3", start);
            }
        }
        string literal = text[start..i];
        double value = double.Parse(literal, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        return new Token(TokenKind.Number, literal, start, value);
    }

    private static void SkipDigits(string text, ref int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
    }

    private static Token ReadOperator(string text, ref int i)
    {
        int start = i;
        char c = text[i];
        char next = i + 1 < text.Length ? text[i + 1] : '\0';
        (TokenKind kind, int length) = (c, next) switch
        {
            ('*', '*') => (TokenKind.StarStar, 2),
            ('<', '=') => (TokenKind.LessEqual, 2),
            ('>', '=') => (TokenKind.GreaterEqual, 2),
            ('=', '=') => (TokenKind.EqualEqual, 2),
            ('!', '=') => (TokenKind.BangEqual, 2),
            ('&', '&') => (TokenKind.AmpAmp, 2),
            ('|', '|') => (TokenKind.PipePipe, 2),
            ('+', _) => (TokenKind.Plus, 1),
            ('-', _) => (TokenKind.Minus, 1),
            ('*', _) => (TokenKind.Star, 1),
            ('/', _) => (TokenKind.Slash, 1),
            ('%', _) => (TokenKind.Percent, 1),
            ('<', _) => (TokenKind.Less, 1),
            ('>', _) => (TokenKind.Greater, 1),
            ('!', _) => (TokenKind.Bang, 1),
            ('?', _) => (TokenKind.Question, 1),
            (':', _) => (TokenKind.Colon, 1),
            ('(', _) => (TokenKind.LeftParen, 1),
            (')', _) => (TokenKind.RightParen, 1),
            (',', _) => (TokenKind.Comma, 1),
            _ => throw Unexpected(c, start),
        };
        i += length;
        return new Token(kind, text.Substring(start, length), start);
    }

    private static ExpressionSyntaxException Unexpected(char c, int position)
    {
        string hint = c switch
        {
            '=' => "; did you mean '=='?",
            '&' => "; did you mean '&&'?",
            '|' => "; did you mean '||'?",
            '^' => "; write powers as '**'",
            '[' or ']' => "; expressions work on whole columns and have no indexing",
            _ => "",
        };
        return new ExpressionSyntaxException($"unexpected character '{c}' at character {position}{hint}", position);
    }
}
