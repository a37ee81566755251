using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Framework.Optimizers;

/// <summary>Argument checks for optimizer and schedule constructors, with one wording for every message.</summary>
/// <remarks>Values are formatted with the invariant culture, so a message reads the same on every machine.</remarks>
internal static class Validate
{
    /// <summary>Requires a finite value above zero.</summary>
    public static double Positive(string owner, double value, [CallerArgumentExpression(nameof(value))] string paramName = "")
    {
        if (!(value > 0) || !double.IsFinite(value)) OutOfRange(owner, paramName, value, "positive");
        return value;
    }

    /// <summary>Requires a finite value of at least zero.</summary>
    public static double NonNegative(string owner, double value, [CallerArgumentExpression(nameof(value))] string paramName = "")
    {
        if (!(value >= 0) || !double.IsFinite(value)) OutOfRange(owner, paramName, value, "non-negative and finite");
        return value;
    }

    /// <summary>Requires a value in [0, 1), or in [0, 1] when <paramref name="includeOne"/> is true.</summary>
    public static double Fraction(string owner, double value, bool includeOne, [CallerArgumentExpression(nameof(value))] string paramName = "")
    {
        if (!(value >= 0) || (includeOne ? value > 1 : !(value < 1))) OutOfRange(owner, paramName, value, includeOne ? "in [0, 1]" : "in [0, 1)");
        return value;
    }

    /// <summary>Throws "Adam: learningRate must be positive; received learningRate=-0.001."</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void OutOfRange(string owner, string paramName, object value, string requirement) =>
        throw new ArgumentOutOfRangeException(paramName, value, string.Create(CultureInfo.InvariantCulture,
            $"{owner}: {paramName} must be {requirement}; received {paramName}={value}."));
}
