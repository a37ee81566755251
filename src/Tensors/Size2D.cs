namespace Framework.Tensors;

/// <summary>A height and a width (a window, stride or dilation of a 2-D op); an int converts to a square one.</summary>
/// <param name="Height">The size along the rows.</param>
/// <param name="Width">The size along the columns.</param>
/// <example>
/// <code>
/// var y = x.Conv2D(kernel, strides: 2);          // (2, 2)
/// var z = x.MaxPool2D((3, 2), padding: Padding.Same);
/// </code>
/// </example>
public readonly record struct Size2D(int Height, int Width)
{
    /// <summary>A square size.</summary>
    public static implicit operator Size2D(int size) => new(size, size);

    /// <summary>A (height, width) pair.</summary>
    public static implicit operator Size2D((int Height, int Width) size) => new(size.Height, size.Width);

    /// <summary>Formats as <c>(3, 3)</c>.</summary>
    public override string ToString() => $"({Height}, {Width})";
}
