using System.Globalization;

namespace Framework.Training;

/// <summary>One parsed Python format specification (<c>02d</c>, <c>.4f</c>, <c>.2e</c>, <c>5.2f</c>), applied to a number.</summary>
/// <remarks>
/// Keras fills its file path templates with Python's <c>str.format</c>, so users write Python specs; this type reproduces
/// the numeric subset: <c>[[fill]align][sign][0][width][.precision][type]</c> with the types <c>d f F e E g G %</c> or none.
/// Grouping (<c>,</c> <c>_</c>), <c>#</c> and string types are rejected when the template is parsed, not at save time.
/// </remarks>
internal sealed class PythonFormatSpec
{
    private const string Types = "dfFeEgG%";

    private char _fill = ' ';
    private char _align = '>';
    private char _sign = '-';
    private int _width;
    private int? _precision;
    private char _type;

    /// <summary>Parses <paramref name="spec"/>; on failure returns null and the reason.</summary>
    public static PythonFormatSpec? TryParse(string spec, out string? error)
    {
        var result = new PythonFormatSpec();
        error = null;
        int i = 0;
        if (spec.Length >= 2 && spec[1] is '<' or '>' or '^' or '=')
            (result._fill, result._align, i) = (spec[0], spec[1], 2);
        else if (spec.Length >= 1 && spec[0] is '<' or '>' or '^' or '=')
            (result._align, i) = (spec[0], 1);
        if (i < spec.Length && spec[i] is '+' or '-' or ' ') result._sign = spec[i++];
        if (i < spec.Length && spec[i] == '0')
        {
            // Python's '0' flag is sign-aware zero padding unless an alignment was given.
            if (i == 0 || spec[i - 1] is '+' or '-' or ' ') (result._fill, result._align) = ('0', '=');
            i++;
        }
        int start = i;
        while (i < spec.Length && char.IsAsciiDigit(spec[i])) i++;
        if (i > start && !int.TryParse(spec.AsSpan(start, i - start), CultureInfo.InvariantCulture, out result._width)) error = "the width is too large";
        if (error is null && i < spec.Length && spec[i] == '.')
        {
            start = ++i;
            while (i < spec.Length && char.IsAsciiDigit(spec[i])) i++;
            if (i == start || !int.TryParse(spec.AsSpan(start, i - start), CultureInfo.InvariantCulture, out int precision) || precision > 100)
                error = "'.' must be followed by a precision from 0 to 100";
            else
                result._precision = precision;
        }
        if (error is null && i < spec.Length && Types.Contains(spec[i], StringComparison.Ordinal)) result._type = spec[i++];
        if (error is null && i < spec.Length)
            error = $"'{spec[i]}' at position {i} is not supported (use [[fill]align][sign][0][width][.precision][type] with type one of {Types})";
        if (error is null && result._type == 'd' && result._precision is not null) error = "precision is not allowed with the integer type 'd'";
        return error is null ? result : null;
    }

    /// <summary>Formats an integer (epoch, batch) or a log value.</summary>
    /// <exception cref="FormatException">The type is <c>d</c> and <paramref name="value"/> is not an integer.</exception>
    public string Format(object value)
    {
        string body;
        bool negative;
        if (value is long integer && _type is 'd' or '\0')
        {
            negative = integer < 0;
            body = Math.Abs((decimal)integer).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            if (_type == 'd') throw new FormatException("the format type 'd' needs an integer, and log values are real numbers (use for example '.0f')");
            double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            negative = double.IsNegative(number) && !double.IsNaN(number);
            body = FormatMagnitude(Math.Abs(number));
        }
        string sign = negative ? "-" : _sign switch { '+' => "+", ' ' => " ", _ => "" };
        int padding = _width - sign.Length - body.Length;
        if (padding <= 0) return sign + body;
        string pad = new(_fill, padding);
        return _align switch
        {
            '<' => sign + body + pad,
            '^' => new string(_fill, padding / 2) + sign + body + new string(_fill, padding - padding / 2),
            '=' => sign + pad + body,
            _ => pad + sign + body,
        };
    }

    private string FormatMagnitude(double x)
    {
        bool upper = _type is 'F' or 'E' or 'G';
        if (!double.IsFinite(x))
        {
            string word = double.IsNaN(x) ? "nan" : "inf";
            return (upper ? word.ToUpperInvariant() : word) + (_type == '%' ? "%" : "");
        }
        int precision = _precision ?? 6;
        return _type switch
        {
            'f' or 'F' => x.ToString("F" + precision, CultureInfo.InvariantCulture),
            'e' or 'E' => Scientific(x, precision, upper),
            '%' => (x * 100).ToString("F" + precision, CultureInfo.InvariantCulture) + "%",
            'g' or 'G' => General(x, Math.Max(precision, 1), upper),
            // No type: Python's repr of a float (shortest round-trip), or 'g'-like when a precision is given.
            _ => _precision is { } p ? General(x, Math.Max(p, 1), upper: false, keepPoint: true) : Repr(x),
        };
    }

    /// <summary>Python's <c>e</c>: mantissa with <paramref name="precision"/> decimals and an exponent of at least two digits.</summary>
    private static string Scientific(double x, int precision, bool upper)
    {
        string text = x.ToString("E" + precision, CultureInfo.InvariantCulture);
        int e = text.IndexOf('E', StringComparison.Ordinal);
        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string digits = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return text[..e] + (upper ? "E" : "e") + (exponent < 0 ? "-" : "+") + digits;
    }

    /// <summary>Python's <c>g</c>: scientific when the exponent is below −4 or at least the precision, trailing zeros removed.</summary>
    private static string General(double x, int precision, bool upper, bool keepPoint = false)
    {
        if (x == 0) return keepPoint ? "0.0" : "0";
        string scientific = Scientific(x, precision - 1, upper);
        int exponent = int.Parse(scientific.AsSpan(scientific.IndexOfAny(['e', 'E']) + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= precision)
        {
            int e = scientific.IndexOfAny(['e', 'E']);
            return TrimZeros(scientific[..e]) + scientific[e..];
        }
        string text = TrimZeros(x.ToString("F" + (precision - 1 - exponent), CultureInfo.InvariantCulture));
        return keepPoint && !text.Contains('.', StringComparison.Ordinal) ? text + ".0" : text;
    }

    private static string TrimZeros(string text) => text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, <c>3.0</c> for integers, exponent from 1e16 or below 1e-4.</summary>
    private static string Repr(double x)
    {
        if (x != 0 && (x >= 1e16 || x < 1e-4))
        {
            // As many significant digits as the shortest round-trip form has, written in Python's exponent style.
            string shortest = x.ToString("R", CultureInfo.InvariantCulture).Split('E')[0];
            int digits = shortest.Replace(".", "", StringComparison.Ordinal).TrimStart('0').TrimEnd('0').Length;
            return Scientific(x, Math.Max(digits - 1, 0), upper: false);
        }
        string text = x.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }
}
