using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Framework.Serialization;

/// <summary>A tokenizer for the protobuf text format: identifiers, numbers, quoted strings, punctuation, <c>#</c> comments.</summary>
internal sealed class TextLexer(string text)
{
    private int _pos;
    private int _line = 1;

    /// <summary>A scalar value: a quoted string (already unescaped) or a bare word such as a number.</summary>
    public readonly record struct Token(string Text, bool IsString, int Line);

    /// <summary>Skips whitespace and comments; false at the end of the input.</summary>
    public bool TryPeek(out char next)
    {
        SkipTrivia();
        next = _pos < text.Length ? text[_pos] : '\0';
        return _pos < text.Length;
    }

    /// <summary>Consumes <paramref name="c"/> if it is next.</summary>
    public bool TryConsume(char c)
    {
        if (TryPeek(out char next) && next == c)
        {
            _pos++;
            return true;
        }
        return false;
    }

    /// <summary>Consumes <paramref name="c"/> or fails.</summary>
    public void Expect(char c)
    {
        if (!TryConsume(c))
            Fail($"expected '{c}'");
    }

    /// <summary>Reads a field name.</summary>
    public string ReadIdentifier()
    {
        TryPeek(out _);
        int start = _pos;
        while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_'))
            _pos++;
        if (_pos == start)
            Fail("expected a field name");
        return text[start.._pos];
    }

    /// <summary>Reads one value: adjacent quoted strings are concatenated, as in the text format.</summary>
    public Token ReadValue()
    {
        if (!TryPeek(out char next))
            Fail("expected a value");
        int line = _line;
        if (next is '"' or '\'')
        {
            var bytes = new List<byte>();
            while (TryPeek(out next) && next is '"' or '\'')
                ReadQuoted(bytes);
            try
            {
                return new Token(new UTF8Encoding(false, true).GetString([.. bytes]), true, line);
            }
            catch (DecoderFallbackException)
            {
                Fail("a string is not valid UTF-8");
            }
        }
        int start = _pos;
        while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '.' or '+' or '-' or '_'))
            _pos++;
        if (_pos == start)
            Fail($"unexpected character '{text[_pos]}'");
        return new Token(text[start.._pos], false, line);
    }

    /// <summary>The string value of a token, or a failure naming the field.</summary>
    public string AsString(Token token, string field)
    {
        if (!token.IsString)
            Fail($"field '{field}' needs a quoted string; found '{token.Text}'", token.Line);
        return token.Text;
    }

    /// <summary>The double value of a token (including <c>inf</c>, <c>-inf</c>, <c>nan</c>), or a failure naming the field.</summary>
    public double AsDouble(Token token, string field)
    {
        string s = token.Text.ToLowerInvariant();
        if (!token.IsString)
        {
            if (s is "inf" or "infinity" or "+inf")
                return double.PositiveInfinity;
            if (s is "-inf" or "-infinity")
                return double.NegativeInfinity;
            if (s is "nan" or "-nan")
                return double.NaN;
            if (s.EndsWith('f'))
                s = s[..^1];
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                return value;
        }
        Fail($"field '{field}' needs a number; found '{token.Text}'", token.Line);
        return 0;
    }

    /// <summary>Throws an <see cref="InvalidDataException"/> at the current (or given) line.</summary>
    [DoesNotReturn]
    public void Fail(string message, int line = 0) =>
        throw new InvalidDataException($"line {(line > 0 ? line : _line)}: {message}.");

    private void ReadQuoted(List<byte> bytes)
    {
        char quote = text[_pos++];
        Span<byte> utf8 = stackalloc byte[4];
        while (true)
        {
            if (_pos >= text.Length || text[_pos] == '\n')
                Fail("unterminated string");
            char c = text[_pos++];
            if (c == quote)
                return;
            if (c != '\\')
            {
                if (char.IsSurrogate(c))
                {
                    if (_pos >= text.Length || !char.IsSurrogatePair(c, text[_pos]))
                        Fail("invalid UTF-16 surrogate in a string");
                    bytes.AddRange(Encoding.UTF8.GetBytes(new[] { c, text[_pos++] }));
                }
                else
                {
                    int n = new Rune(c).EncodeToUtf8(utf8);
                    for (int i = 0; i < n; i++)
                        bytes.Add(utf8[i]);
                }
                continue;
            }
            if (_pos >= text.Length)
                Fail("unterminated escape");
            char e = text[_pos++];
            switch (e)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'v': bytes.Add(11); break;
                case '\\' or '\'' or '"' or '?': bytes.Add((byte)e); break;
                case 'x' or 'X':
                    int hex = 0, hexDigits = 0;
                    while (hexDigits < 2 && _pos < text.Length && char.IsAsciiHexDigit(text[_pos]))
                    {
                        hex = hex * 16 + Convert.ToInt32(text[_pos++].ToString(), 16);
                        hexDigits++;
                    }
                    if (hexDigits == 0)
                        Fail("\\x escape without hex digits");
                    bytes.Add((byte)hex);
                    break;
                case >= '0' and <= '7':
                    int octal = e - '0';
                    for (int k = 0; k < 2 && _pos < text.Length && text[_pos] is >= '0' and <= '7'; k++)
                        octal = octal * 8 + (text[_pos++] - '0');
                    if (octal > 255)
                        Fail("octal escape above \\377");
                    bytes.Add((byte)octal);
                    break;
                default:
                    Fail($"invalid escape '\\{e}'");
                    break;
            }
        }
    }

    private void SkipTrivia()
    {
        while (_pos < text.Length)
        {
            char c = text[_pos];
            if (c == '\n')
            {
                _line++;
                _pos++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '#')
            {
                while (_pos < text.Length && text[_pos] != '\n')
                    _pos++;
            }
            else
            {
                return;
            }
        }
    }
}
