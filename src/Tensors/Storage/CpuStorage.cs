using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Framework.Tensors.Storage;

/// <summary>Host memory: a pooled managed array of the tensor's element type.</summary>
internal sealed class CpuStorage : TensorStorage
{
    private Array? _array;

    private CpuStorage(DType dtype, Array array, int length, bool pooled)
        : base(dtype, length)
    {
        _array = array;
        IsPooled = pooled;
    }

    public override Device Device => Device.Cpu;

    public bool IsPooled { get; }

    /// <summary>The backing array; may be longer than <see cref="TensorStorage.Length"/> when it came from the pool.</summary>
    public Array Array => _array ?? ThrowReleased();

    /// <summary>Allocates <paramref name="length"/> elements whose initial contents are unspecified.</summary>
    public static CpuStorage Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => Rent<float>(dtype, length),
        DType.Float64 => Rent<double>(dtype, length),
        DType.Int32 => Rent<int>(dtype, length),
        DType.Int64 => Rent<long>(dtype, length),
        DType.UInt8 => Rent<byte>(dtype, length),
        DType.Bool => Rent<bool>(dtype, length),
        _ => throw new NotSupportedException($"Unknown dtype {dtype}."),
    };

    /// <summary>Wraps an existing array without copying it (it is never returned to a pool).</summary>
    public static CpuStorage Wrap<T>(T[] array, int length) where T : unmanaged =>
        new(DTypeExtensions.Of<T>(), array, length, pooled: false);

    public Span<T> Span<T>() where T : unmanaged => Unsafe.As<T[]>(Array).AsSpan(0, Length);

    /// <summary>The raw bytes of the elements.</summary>
    public Span<byte> Bytes() => MemoryMarshal.CreateSpan(
        ref MemoryMarshal.GetArrayDataReference(Array), Length * DType.SizeInBytes());

    protected override void Free()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is null || !IsPooled) return;
        switch (array)
        {
            case float[] a: ArrayPool<float>.Shared.Return(a); break;
            case double[] a: ArrayPool<double>.Shared.Return(a); break;
            case int[] a: ArrayPool<int>.Shared.Return(a); break;
            case long[] a: ArrayPool<long>.Shared.Return(a); break;
            case byte[] a: ArrayPool<byte>.Shared.Return(a); break;
            case bool[] a: ArrayPool<bool>.Shared.Return(a); break;
        }
    }

    private static CpuStorage Rent<T>(DType dtype, int length)
    {
        // Tiny tensors (scalars, biases) are cheaper to allocate than to pool; big ones would land on the
        // large-object heap, whose collections are what pooling avoids.
        if (length < 256) return new CpuStorage(dtype, new T[length], length, pooled: false);
        T[] array = ArrayPool<T>.Shared.Rent(length);
        // Before anything writes to it: a fresh large array would otherwise be faulted in 4 KiB at a time.
        HugePages.Advise(array, (long)length * Unsafe.SizeOf<T>());
        return new CpuStorage(dtype, array, length, pooled: true);
    }

    private static Array ThrowReleased()
    {
        Throw.Disposed("This tensor");
        return null;
    }
}
