using System.Buffers;
using Framework.Tensors.Storage;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>The elements of a host (CPU) tensor, row-major and read-only, without a copy: for writers that stream a
    /// tensor to a file (the Keras HDF5 files) without first copying it into a managed array.</summary>
    /// <remarks>The memory is the tensor's own storage: it is valid only while the tensor is not disposed, and it is read
    /// while it is being written to a file, so the tensor must not be changed (a variable must not be assigned) meanwhile.</remarks>
    /// <typeparam name="T">The element type of <see cref="DType"/>.</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    /// <exception cref="NotSupportedException">The tensor is not in host memory.</exception>
    public ReadOnlyMemory<T> HostMemory<T>() where T : unmanaged
    {
        CheckElementType<T>(nameof(HostMemory));
        if (Storage is not CpuStorage storage)
        {
            Throw.NotSupported($"HostMemory: the tensor is on {Device}, not in host memory; use ToArray<{typeof(T).Name}>() to copy it.");
            return default;
        }
        return storage.Memory<T>(Offset, Size);
    }

    /// <summary>A new host tensor of <paramref name="shape"/> whose elements <paramref name="fill"/> writes, row-major, before
    /// anyone else sees the tensor: for readers that decode a file straight into a tensor's storage.</summary>
    /// <remarks>The span's initial contents are unspecified; <paramref name="fill"/> must write every element. If it throws,
    /// the tensor is released and the exception propagates.</remarks>
    /// <typeparam name="T">The element type (float, double, int, long, byte or bool).</typeparam>
    /// <typeparam name="TState">What <paramref name="fill"/> reads from.</typeparam>
    /// <example><code>var t = Tensor.Create(new Shape(3), 2f, (span, value) => span.Fill(value));</code></example>
    public static Tensor Create<T, TState>(Shape shape, TState state, SpanAction<T, TState> fill) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(fill);
        var result = Empty(shape, DTypeExtensions.Of<T>(), Device.Cpu);
        try
        {
            fill(((CpuStorage)result.Storage).Span<T>()[..shape.Size], state);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private void CheckElementType<T>(string op) where T : unmanaged
    {
        var dtype = DTypeExtensions.Of<T>();
        if (dtype != DType) Throw.Argument($"{op}<{typeof(T).Name}>: the tensor's dtype is {DType.Name()}.", "T");
    }
}
