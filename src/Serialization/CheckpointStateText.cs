using System.Globalization;
using System.Text;

namespace Framework.Serialization;

/// <summary>The protobuf text format, restricted to the four fields of <see cref="CheckpointState"/>.</summary>
/// <remarks>Google.Protobuf for C# has no text-format support, so this small reader and writer are hand-written.</remarks>
internal static class CheckpointStateText
{
    /// <summary>Quotes a string with C-style escapes, as protobuf's text format writes it (bytes outside ASCII as octal).</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            switch (b)
            {
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'\'': sb.Append("\\'"); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                default:
                    if (b < 0x20 || b >= 0x7F)
                        sb.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    else
                        sb.Append((char)b);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Formats a double as Python's <c>repr</c> does (shortest round-trip digits), which TensorFlow's writer uses.</summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
            return "nan";
        if (double.IsInfinity(value))
            return value > 0 ? "inf" : "-inf";
        string sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        if (value == 0)
            return sign + "0.0";
        // Shortest round-trip digits from .NET, re-laid out with Python's rules for fixed vs exponent notation.
        string s = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponent = 0;
        int e = s.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }
        int dot = s.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot < 0 ? s : s[..dot];
        string digits = intPart + (dot < 0 ? "" : s[(dot + 1)..]);
        int point = intPart.Length + exponent;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
            lead++;
        digits = digits[lead..].TrimEnd('0');
        point -= lead;
        int exp10 = point - 1;
        if (exp10 >= -4 && exp10 < 16)
        {
            if (point <= 0)
                return $"{sign}0.{new string('0', -point)}{digits}";
            if (point >= digits.Length)
                return $"{sign}{digits}{new string('0', point - digits.Length)}.0";
            return $"{sign}{digits[..point]}.{digits[point..]}";
        }
        string mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
        return $"{sign}{mantissa}e{(exp10 < 0 ? '-' : '+')}{Math.Abs(exp10):00}";
    }

    /// <summary>Parses the text format; unknown fields and syntax errors are <see cref="InvalidDataException"/> with a line number.</summary>
    public static CheckpointState Parse(string text)
    {
        var state = new CheckpointState();
        var lexer = new TextLexer(text);
        while (lexer.TryPeek(out _))
        {
            string field = lexer.ReadIdentifier();
            lexer.Expect(':');
            var values = new List<TextLexer.Token>();
            if (lexer.TryConsume('['))
            {
                if (!lexer.TryConsume(']'))
                {
                    do
                        values.Add(lexer.ReadValue());
                    while (lexer.TryConsume(','));
                    lexer.Expect(']');
                }
            }
            else
            {
                values.Add(lexer.ReadValue());
            }
            bool repeated = field is "all_model_checkpoint_paths" or "all_model_checkpoint_timestamps";
            if (!repeated && values.Count != 1)
                lexer.Fail($"field '{field}' is not repeated");
            foreach (var value in values)
            {
                switch (field)
                {
                    case "model_checkpoint_path":
                        state.ModelCheckpointPath = lexer.AsString(value, field);
                        break;
                    case "all_model_checkpoint_paths":
                        state.AllModelCheckpointPaths.Add(lexer.AsString(value, field));
                        break;
                    case "all_model_checkpoint_timestamps":
                        state.AllModelCheckpointTimestamps.Add(lexer.AsDouble(value, field));
                        break;
                    case "last_preserved_timestamp":
                        state.LastPreservedTimestamp = lexer.AsDouble(value, field);
                        break;
                    default:
                        lexer.Fail($"unknown field '{field}'");
                        break;
                }
            }
            // Fields may be separated by ';' or ',' in the text format.
            if (!lexer.TryConsume(';'))
                lexer.TryConsume(',');
        }
        return state;
    }
}
