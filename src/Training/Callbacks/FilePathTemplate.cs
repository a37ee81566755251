using System.Text;
using System.Text.RegularExpressions;

namespace Framework.Training;

/// <summary>A file path with Python-style placeholders, <c>runs/ckpt-{epoch:02d}-{val_loss:.4f}</c>, as Keras's <c>ModelCheckpoint</c> takes.</summary>
/// <remarks>
/// <para>Placeholders are <c>{key}</c> or <c>{key:spec}</c>, where the spec is Python's numeric format mini-language
/// (<c>02d</c>, <c>.4f</c>, <c>.2e</c>, <c>5.2f</c>); <c>{{</c> and <c>}}</c> are literal braces. The syntax is checked when
/// the template is parsed; whether a key exists can only be known when a value set is given to <see cref="Format"/>.</para>
/// </remarks>
/// <example><code>FilePathTemplate.Parse("ckpt-{epoch:02d}").Format(new Dictionary&lt;string, object&gt; { ["epoch"] = 3L }); // "ckpt-03"</code></example>
public sealed class FilePathTemplate
{
    private static readonly PythonFormatSpec s_defaultFormat = PythonFormatSpec.TryParse("", out _)!;
    private readonly List<(string Literal, string? Key, PythonFormatSpec? Spec)> _parts;

    private FilePathTemplate(string text, List<(string, string?, PythonFormatSpec?)> parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The keys the placeholders name, in order of first appearance.</summary>
    public IReadOnlyList<string> Keys => [.. _parts.Where(p => p.Key is not null).Select(p => p.Key!).Distinct()];

    /// <summary>Parses and validates a template.</summary>
    /// <param name="template">The path with placeholders.</param>
    /// <exception cref="ArgumentException">Unbalanced braces, an empty or indexed key, a conversion (<c>!r</c>), or an unsupported format spec; the message quotes the template.</exception>
    public static FilePathTemplate Parse(string template)
    {
        ArgumentException.ThrowIfNullOrEmpty(template);
        var parts = new List<(string, string?, PythonFormatSpec?)>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}') throw Invalid(template, $"a single '}}' at position {i} (write '}}}}' for a literal brace)");
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            int end = template.IndexOf('}', i + 1);
            if (end < 0) throw Invalid(template, $"the '{{' at position {i} is never closed");
            string field = template[(i + 1)..end];
            if (field.Contains('{', StringComparison.Ordinal)) throw Invalid(template, $"nested braces in '{{{field}}}' are not supported");
            int colon = field.IndexOf(':', StringComparison.Ordinal);
            string key = colon < 0 ? field : field[..colon];
            if (key.Length == 0 || key.IndexOfAny(['!', '[', '.']) >= 0)
                throw Invalid(template, $"'{{{field}}}' must name a key such as {{epoch}} or {{val_loss:.4f}} (no positional fields, indexing or conversions)");
            PythonFormatSpec? spec = null;
            if (colon >= 0 && (spec = PythonFormatSpec.TryParse(field[(colon + 1)..], out string? error)) is null)
                throw Invalid(template, $"the format spec '{field[(colon + 1)..]}' of '{key}' is invalid: {error}");
            parts.Add((literal.ToString(), key, spec));
            literal.Clear();
            i = end;
        }
        parts.Add((literal.ToString(), null, null));
        return new FilePathTemplate(template, parts);
    }

    /// <summary>Fills the placeholders from <paramref name="values"/> (integers as <see cref="long"/>, log values as <see cref="double"/>).</summary>
    /// <exception cref="KeyNotFoundException">A placeholder's key is not in <paramref name="values"/>; the message lists the keys that are.</exception>
    /// <exception cref="FormatException">A value does not fit its spec (<c>d</c> for a real number); the message names the key.</exception>
    public string Format(IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sb = new StringBuilder();
        foreach (var (literal, key, spec) in _parts)
        {
            sb.Append(literal);
            if (key is null) continue;
            if (!values.TryGetValue(key, out object? value))
                throw new KeyNotFoundException($"The file path template '{Text}' uses '{key}', which is not available at this save; available keys: {string.Join(", ", values.Keys)}.");
            try
            {
                sb.Append(spec is null ? s_defaultFormat.Format(value) : spec.Format(value));
            }
            catch (FormatException e)
            {
                throw new FormatException($"The file path template '{Text}' cannot format '{key}' = {value}: {e.Message}.", e);
            }
        }
        return sb.ToString();
    }

    /// <summary>A regular expression matching every string <see cref="Format"/> can produce (each placeholder matches any text).</summary>
    public Regex ToRegex() =>
        new("^" + string.Concat(_parts.Select(p => Regex.Escape(p.Literal) + (p.Key is null ? "" : ".+?"))) + "$", RegexOptions.CultureInvariant);

    private static ArgumentException Invalid(string template, string reason) =>
        new($"Invalid file path template '{template}': {reason}.", nameof(template));
}
