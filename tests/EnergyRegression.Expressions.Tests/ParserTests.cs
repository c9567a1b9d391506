using static EnergyRegression.Expressions.Tests.TestBatches;

namespace EnergyRegression.Expressions.Tests;

public class ParserTests
{
    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 4 - 3", 3)]          // left-associative
    [InlineData("100 / 10 / 5", 2)]        // left-associative
    [InlineData("7 % 4 * 2", 6)]           // same level as *, left to right
    [InlineData("-7 % 3", -1)]             // remainder takes the dividend's sign
    [InlineData("2 ** 3 ** 2", 512)]       // right-associative
    [InlineData("-2 ** 2", -4)]            // ** binds tighter than unary minus
    [InlineData("2 ** -1", 0.5)]
    [InlineData("2 * 3 ** 2", 18)]
    [InlineData("3 - -2", 5)]
    [InlineData("1.5e2 + .5 + 2.", 152.5)]
    [InlineData("2.5E-1 * 4", 1)]
    [InlineData("1 + 2 < 4", 1)]           // arithmetic before comparison
    [InlineData("1 < 2 == 2 < 1", 0)]      // relational before equality
    [InlineData("true || false && false", 1)]  // && before ||
    [InlineData("true or false and false", 1)]
    [InlineData("not false and false", 0)]     // not binds tightly
    [InlineData("!(1 > 2)", 1)]
    [InlineData("!true", 0)]
    [InlineData("true ? 1 : 2 + 10", 1)]       // ternary is the loosest
    [InlineData("false ? 1 : 2 + 10", 12)]
    [InlineData("1 > 2 ? 10 : 3 > 2 ? 20 : 30", 20)] // right-associative
    [InlineData("(1 > 2 ? 10 : 3) > 2 ? 20 : 30", 20)]
    [InlineData("1 < 2 ? 3 < 2 ? 5 : 6 : 7", 6)]
    [InlineData("max(1, 5, 3) - min(4, 2, 8)", 3)]
    [InlineData("(true) + (true)", 2)]       // conditions are 0/1 in arithmetic
    public void Precedence_and_associativity(string text, double expected)
    {
        Assert.Equal(expected, EvalConstant(text));
    }

    [Fact]
    public void Pi_is_math_pi()
    {
        Assert.Equal(2 * Math.PI, EvalConstant("2 * pi"));
    }

    [Theory]
    [InlineData("(Electron_pt > 25", 17, "expected ')' at character 17, found end of expression; the '(' at character 0 is not closed")]
    [InlineData("Electron_pt > ", 14, "expected a number, a column name, a function or '(' at character 14, found end of expression")]
    [InlineData("1 +* 2", 3, "expected a number, a column name, a function or '(' at character 3, found '*'")]
    [InlineData("Electron_pt = 25", 12, "unexpected character '=' at character 12; did you mean '=='?")]
    [InlineData("a & b", 2, "unexpected character '&' at character 2; did you mean '&&'?")]
    [InlineData("x # 2", 2, "unexpected character '#' at character 2")]
    [InlineData("2 ^ 3", 2, "unexpected character '^' at character 2; write powers as '**'")]
    [InlineData("1 < x < 3", 6, "comparisons cannot be chained: '<' at character 6 follows another comparison; combine them with '&&' or add parentheses")]
    [InlineData("a == b != c", 7, "comparisons cannot be chained: '!=' at character 7 follows another comparison; combine them with '&&' or add parentheses")]
    [InlineData("sqr(x)", 0, "unknown function 'sqr' at character 0; did you mean 'sqrt'?")]
    [InlineData("x + atan2(1)", 4, "function 'atan2' at character 4 takes 2 arguments, got 1")]
    [InlineData("abs(1, 2)", 0, "function 'abs' at character 0 takes 1 argument, got 2")]
    [InlineData("max(1)", 0, "function 'max' at character 0 takes 2 or more arguments, got 1")]
    [InlineData("max(1,)", 6, "expected a number, a column name, a function or '(' at character 6, found ')'")]
    [InlineData("max(1 2)", 6, "expected ',' or ')' at character 6, found '2'; in the call of 'max' at character 0")]
    [InlineData("a ? b", 5, "expected ':' at character 5, found end of expression; the '?' at character 2 needs one")]
    [InlineData("(1))", 3, "unexpected ')' at character 3: no matching '('")]
    [InlineData("25 GeV", 3, "unexpected 'GeV' at character 3; expected an operator")]
    [InlineData("1e+ 3", 0, "malformed number '1e+' at character 0: the exponent needs digits, e.g. 1e3")]
    [InlineData("", 0, "empty expression")]
    [InlineData("   ", 0, "empty expression")]
    [InlineData("x and", 5, "expected a number, a column name, a function or '(' at character 5, found end of expression")]
    public void Syntax_errors_name_the_exact_position(string text, int position, string message)
    {
        ExpressionSyntaxException e = Assert.Throws<ExpressionSyntaxException>(() => Expression.Parse(text));
        Assert.Equal(position, e.Position);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Referenced_columns_are_distinct_in_order_of_appearance()
    {
        CompiledExpression e = Expression.Parse("Electron_pt > rho && nElectron > 1 && Electron_pt < 100 && abs(x) > pi && true");
        Assert.Equal(["Electron_pt", "rho", "nElectron", "x"], e.ReferencedColumns);
        Assert.Equal("Electron_pt > rho && nElectron > 1 && Electron_pt < 100 && abs(x) > pi && true", e.ToString());
    }
}
