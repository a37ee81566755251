using System.Text;

namespace Framework.Serialization;

/// <summary>The naming scheme of object-based checkpoint keys (spec 3.3): the one place that knows TensorFlow's key syntax.</summary>
/// <remarks>
/// The strings below are part of the TensorFlow checkpoint file format (<c>tensorflow/python/trackable</c>); changing any of
/// them makes files unreadable by TensorFlow and by earlier versions of this framework.
/// </remarks>
/// <example>
/// <c>CheckpointKey.ForVariable(CheckpointKey.JoinPath(["layer_with_weights-0", "kernel"]))</c> gives
/// <c>layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>.
/// </example>
public static class CheckpointKey
{
    /// <summary>Key of the <c>DT_STRING</c> scalar that holds the serialized object graph.</summary>
    public const string ObjectGraphKey = "_CHECKPOINTABLE_OBJECT_GRAPH";

    /// <summary>Path segment that introduces an object's saved attributes.</summary>
    public const string AttributesSegment = ".ATTRIBUTES";

    /// <summary>Path segment that introduces an optimizer slot variable.</summary>
    public const string OptimizerSlotSegment = ".OPTIMIZER_SLOT";

    /// <summary>Attribute name under which a variable's value is saved.</summary>
    public const string VariableValue = "VARIABLE_VALUE";

    /// <summary>Attribute name under which some Keras objects save their JSON configuration.</summary>
    public const string ObjectConfigJson = "OBJECT_CONFIG_JSON";

    /// <summary>Separator between the local names of a path.</summary>
    public const char Separator = '/';

    /// <summary>Escape character of local names: <c>.</c> is written <c>..</c> and <c>/</c> is written <c>.S</c>.</summary>
    public const char EscapeCharacter = '.';

    /// <summary>Escapes one local name for use in a path: every <c>.</c> becomes <c>..</c>, then every <c>/</c> becomes <c>.S</c>.</summary>
    /// <param name="localName">An edge name such as <c>kernel</c> or <c>a/b.c</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="localName"/> is null.</exception>
    public static string EscapeLocalName(string localName)
    {
        ArgumentNullException.ThrowIfNull(localName);
        return localName.Replace(".", "..", StringComparison.Ordinal).Replace("/", ".S", StringComparison.Ordinal);
    }

    /// <summary>Inverts <see cref="EscapeLocalName"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="escaped"/> contains a <c>.</c> not followed by <c>.</c> or <c>S</c>, or an unescaped <c>/</c>.</exception>
    public static string UnescapeLocalName(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        var sb = new StringBuilder(escaped.Length);
        for (int i = 0; i < escaped.Length; i++)
        {
            char c = escaped[i];
            if (c == Separator)
                throw new ArgumentException($"Escaped local name '{escaped}' contains an unescaped '/' at position {i}.", nameof(escaped));
            if (c != EscapeCharacter)
            {
                sb.Append(c);
                continue;
            }
            char next = i + 1 < escaped.Length ? escaped[i + 1] : '\0';
            if (next == EscapeCharacter)
                sb.Append(EscapeCharacter);
            else if (next == 'S')
                sb.Append(Separator);
            else
                throw new ArgumentException($"Escaped local name '{escaped}' has an invalid escape at position {i}; expected '..' or '.S'.", nameof(escaped));
            i++;
        }
        return sb.ToString();
    }

    /// <summary>The path of an object: its escaped local names from the root, joined with <c>/</c>; the root's path is empty.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="localNames"/> is null.</exception>
    public static string JoinPath(IEnumerable<string> localNames)
    {
        ArgumentNullException.ThrowIfNull(localNames);
        return string.Join(Separator, localNames.Select(EscapeLocalName));
    }

    /// <summary>The key of an attribute of the object at <paramref name="objectPath"/>: <c>path/.ATTRIBUTES/escaped-name</c>.</summary>
    /// <param name="objectPath">An already escaped path from <see cref="JoinPath"/> or <see cref="SlotPath"/>.</param>
    /// <param name="attributeName">The attribute name, e.g. <see cref="VariableValue"/>.</param>
    public static string ForAttribute(string objectPath, string attributeName)
    {
        ArgumentNullException.ThrowIfNull(objectPath);
        return $"{objectPath}{Separator}{AttributesSegment}{Separator}{EscapeLocalName(attributeName)}";
    }

    /// <summary>The key of a variable's value: <c>path/.ATTRIBUTES/VARIABLE_VALUE</c>.</summary>
    /// <param name="variablePath">The variable's escaped path.</param>
    public static string ForVariable(string variablePath) => ForAttribute(variablePath, VariableValue);

    /// <summary>The path of an optimizer slot: <c>variable-path/.OPTIMIZER_SLOT/optimizer-path/escaped-slot-name</c>.</summary>
    /// <param name="variablePath">The escaped path of the variable the slot belongs to.</param>
    /// <param name="optimizerPath">The escaped path of the optimizer.</param>
    /// <param name="slotName">The slot name, e.g. <c>m</c> or <c>v</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string SlotPath(string variablePath, string optimizerPath, string slotName)
    {
        ArgumentNullException.ThrowIfNull(variablePath);
        ArgumentNullException.ThrowIfNull(optimizerPath);
        return $"{variablePath}{Separator}{OptimizerSlotSegment}{Separator}{optimizerPath}{Separator}{EscapeLocalName(slotName)}";
    }

    /// <summary>The key of a slot variable's value: <see cref="SlotPath"/> followed by <c>/.ATTRIBUTES/VARIABLE_VALUE</c>.</summary>
    /// <inheritdoc cref="SlotPath"/>
    public static string ForSlot(string variablePath, string optimizerPath, string slotName) =>
        ForVariable(SlotPath(variablePath, optimizerPath, slotName));
}
