namespace EnergyRegression.Expressions.Syntax;

/// <summary>Kinds of lexical tokens.</summary>
internal enum TokenKind
{
    Number,
    Identifier,
    Plus,
    Minus,
    Star,
    StarStar,
    Slash,
    Percent,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    EqualEqual,
    BangEqual,
    Bang,
    AmpAmp,
    PipePipe,
    Question,
    Colon,
    LeftParen,
    RightParen,
    Comma,
    End,
}

/// <summary>One token: its kind, its text, where it starts, and the value of a number.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, double Number = 0)
{
    /// <summary>The token as quoted in error messages.</summary>
    public string Describe() => Kind == TokenKind.End ? "end of expression" : $"'{Text}'";
}
