using EnergyRegression.Plugins;
namespace EnergyRegression.Expressions.Syntax;

/// <summary>
/// Recursive-descent parser with precedence climbing for the binary operators. Grammar, loosest first:
/// <code>
/// expression  := binary [ '?' expression ':' expression ]          (right-associative)
/// binary      := unary { binop binary }                             (precedence climbing, table below)
/// unary       := ('-' | '!' | 'not') unary | power
/// power       := primary [ '**' unary ]                             (right-associative; -2**2 is -4)
/// primary     := number | identifier | function '(' args ')' | '(' expression ')'
/// </code>
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private int _next;

    private Parser(List<Token> tokens)
    {
        _tokens = tokens;
    }

    /// <summary>Parses a whole expression; throws <see cref="ExpressionSyntaxException"/> at the first error.</summary>
    public static SyntaxNode Parse(string text)
    {
        var parser = new Parser(Lexer.Tokenize(text));
        if (parser.Current.Kind == TokenKind.End)
        {
            throw new ExpressionSyntaxException("empty expression", 0);
        }
        SyntaxNode root = parser.ParseExpression();
        if (parser.Current.Kind != TokenKind.End)
        {
            Token extra = parser.Current;
            string hint = extra.Kind == TokenKind.RightParen ? ": no matching '('" : "; expected an operator";
            throw new ExpressionSyntaxException($"unexpected {extra.Describe()} at character {extra.Position}{hint}", extra.Position);
        }
        return root;
    }

    private Token Current => _tokens[_next];

    private Token Advance() => _tokens[_next++];

    private SyntaxNode ParseExpression()
    {
        SyntaxNode condition = ParseBinary(1);
        if (Current.Kind != TokenKind.Question)
        {
            return condition;
        }
        Token question = Advance();
        SyntaxNode whenTrue = ParseExpression();
        Expect(TokenKind.Colon, "':'", $"the '?' at character {question.Position} needs one");
        SyntaxNode whenFalse = ParseExpression();
        return new ConditionalNode(question.Position, condition, whenTrue, whenFalse);
    }

    // Precedence climbing: parse operators binding at least as tightly as minPrecedence.
    private SyntaxNode ParseBinary(int minPrecedence)
    {
        SyntaxNode left = ParseUnary();
        int chainedPrecedence = 0;
        while (TryBinaryOperator(Current, out Operator op, out int precedence, out bool chainable) && precedence >= minPrecedence)
        {
            Token token = Advance();
            if (!chainable && precedence == chainedPrecedence)
            {
                throw new ExpressionSyntaxException(
                    $"comparisons cannot be chained: '{token.Text}' at character {token.Position} follows another comparison; " +
                    "combine them with '&&' or add parentheses", token.Position);
            }
            SyntaxNode right = ParseBinary(precedence + 1);
            left = new BinaryNode(token.Position, op, left, right);
            chainedPrecedence = chainable ? 0 : precedence;
        }
        return left;
    }

    // Binary operators: precedence (higher binds tighter) and whether a op b op c is allowed.
    private static bool TryBinaryOperator(Token token, out Operator op, out int precedence, out bool chainable)
    {
        (op, precedence, chainable) = token switch
        {
            { Kind: TokenKind.PipePipe } or { Kind: TokenKind.Identifier, Text: "or" } => (Operator.Or, 1, true),
            { Kind: TokenKind.AmpAmp } or { Kind: TokenKind.Identifier, Text: "and" } => (Operator.And, 2, true),
            { Kind: TokenKind.EqualEqual } => (Operator.Equal, 3, false),
            { Kind: TokenKind.BangEqual } => (Operator.NotEqual, 3, false),
            { Kind: TokenKind.Less } => (Operator.Less, 4, false),
            { Kind: TokenKind.LessEqual } => (Operator.LessEqual, 4, false),
            { Kind: TokenKind.Greater } => (Operator.Greater, 4, false),
            { Kind: TokenKind.GreaterEqual } => (Operator.GreaterEqual, 4, false),
            { Kind: TokenKind.Plus } => (Operator.Add, 5, true),
            { Kind: TokenKind.Minus } => (Operator.Subtract, 5, true),
            { Kind: TokenKind.Star } => (Operator.Multiply, 6, true),
            { Kind: TokenKind.Slash } => (Operator.Divide, 6, true),
            { Kind: TokenKind.Percent } => (Operator.Remainder, 6, true),
            _ => (default, 0, true),
        };
        return precedence > 0;
    }

    private SyntaxNode ParseUnary()
    {
        Token token = Current;
        Operator? op = token switch
        {
            { Kind: TokenKind.Minus } => Operator.Negate,
            { Kind: TokenKind.Bang } or { Kind: TokenKind.Identifier, Text: "not" } => Operator.Not,
            _ => null,
        };
        if (op is null)
        {
            return ParsePower();
        }
        Advance();
        return new UnaryNode(token.Position, op.Value, ParseUnary());
    }

    private SyntaxNode ParsePower()
    {
        SyntaxNode left = ParsePrimary();
        if (Current.Kind != TokenKind.StarStar)
        {
            return left;
        }
        Token token = Advance();
        return new BinaryNode(token.Position, Operator.Power, left, ParseUnary());
    }

    private SyntaxNode ParsePrimary()
    {
        Token token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new LiteralNode(token.Position, token.Number, IsCondition: false);
            case TokenKind.LeftParen:
                Advance();
                SyntaxNode inner = ParseExpression();
                Expect(TokenKind.RightParen, "')'", $"the '(' at character {token.Position} is not closed");
                return inner;
            case TokenKind.Identifier when token.Text is "and" or "or" or "not":
                break;
            case TokenKind.Identifier:
                Advance();
                if (Current.Kind == TokenKind.LeftParen)
                {
                    return ParseCall(token);
                }
                return token.Text switch
                {
                    "true" => new LiteralNode(token.Position, 1, IsCondition: true),
                    "false" => new LiteralNode(token.Position, 0, IsCondition: true),
                    "pi" => new LiteralNode(token.Position, Math.PI, IsCondition: false),
                    _ => new IdentifierNode(token.Position, token.Text),
                };
            default:
                break;
        }
        throw new ExpressionSyntaxException(
            $"expected a number, a column name, a function or '(' at character {token.Position}, found {token.Describe()}", token.Position);
    }

    private CallNode ParseCall(Token name)
    {
        if (!Functions.TryGet(name.Text, out FunctionInfo function))
        {
            string? suggestion = NameSuggestions.Closest(name.Text, Functions.Names);
            string hint = suggestion is null ? $"; functions: {string.Join(", ", Functions.Names)}" : $"; did you mean '{suggestion}'?";
            throw new ExpressionSyntaxException($"unknown function '{name.Text}' at character {name.Position}{hint}", name.Position);
        }
        Advance(); // '('
        var arguments = new List<SyntaxNode>();
        if (Current.Kind != TokenKind.RightParen)
        {
            arguments.Add(ParseExpression());
            while (Current.Kind == TokenKind.Comma)
            {
                Advance();
                arguments.Add(ParseExpression());
            }
        }
        Expect(TokenKind.RightParen, "',' or ')'", $"in the call of '{name.Text}' at character {name.Position}");
        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
        {
            throw new ExpressionSyntaxException(
                $"function '{name.Text}' at character {name.Position} takes {function.DescribeArity()}, got {arguments.Count}", name.Position);
        }
        return new CallNode(name.Position, function, arguments);
    }

    private void Expect(TokenKind kind, string expected, string context)
    {
        if (Current.Kind == kind)
        {
            Advance();
            return;
        }
        Token found = Current;
        throw new ExpressionSyntaxException(
            $"expected {expected} at character {found.Position}, found {found.Describe()}; {context}", found.Position);
    }
}
