using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Framework.Tensors.Storage;

/// <summary>Host memory: a managed array holding the tensor's elements, pooled unless tiny or wrapped.</summary>
/// <remarks>Buffers of 2 MiB or more come from <see cref="HugePageBuffers"/> (a byte array whose elements start on a
/// huge-page boundary); smaller ones from <c>ArrayPool</c> of the element type.</remarks>
internal sealed class CpuStorage : TensorStorage
{
    private readonly int _byteOffset;
    private readonly Origin _origin;
    private readonly long _hugeCapacity;
    private Array? _array;

    private CpuStorage(DType dtype, Array array, int length, Origin origin, int byteOffset = 0, long hugeCapacity = 0)
        : base(dtype, length)
    {
        _array = array;
        _origin = origin;
        _byteOffset = byteOffset;
        _hugeCapacity = hugeCapacity;
    }

    private enum Origin
    {
        Owned,
        ArrayPool,
        HugePages,
    }

    public override Device Device => Device.Cpu;

    /// <summary>Allocates <paramref name="length"/> elements whose initial contents are unspecified.</summary>
    public static CpuStorage Allocate(DType dtype, int length)
    {
        if (HugePageBuffers.Rent((long)length * dtype.SizeInBytes()) is { } buffer)
            return new CpuStorage(dtype, buffer.Array, length, Origin.HugePages, buffer.Offset, buffer.Capacity);
        return dtype switch
        {
            DType.Float32 => Rent<float>(dtype, length),
            DType.Float64 => Rent<double>(dtype, length),
            DType.Int32 => Rent<int>(dtype, length),
            DType.Int64 => Rent<long>(dtype, length),
            DType.UInt8 => Rent<byte>(dtype, length),
            DType.Bool => Rent<bool>(dtype, length),
            _ => throw new NotSupportedException($"Unknown dtype {dtype}."),
        };
    }

    /// <summary>Wraps an existing array without copying it (it is never returned to a pool).</summary>
    public static CpuStorage Wrap<T>(T[] array, int length) where T : unmanaged =>
        new(DTypeExtensions.Of<T>(), array, length, Origin.Owned);

    /// <summary>The elements.</summary>
    public Span<T> Span<T>() where T : unmanaged =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref First()), Length);

    /// <summary>Elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> as memory, without a copy.</summary>
    public Memory<T> Memory<T>(int start, int length) where T : unmanaged =>
        new HostMemoryManager<T>(_array ?? ThrowReleased(), _byteOffset + start * Unsafe.SizeOf<T>(), length).Memory;

    /// <summary>The raw bytes of the elements.</summary>
    public Span<byte> Bytes() => MemoryMarshal.CreateSpan(ref First(), Length * DType.SizeInBytes());

    public override bool TryGetHostBytes(out Span<byte> bytes)
    {
        bytes = Bytes();
        return true;
    }

    protected override void Free()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is null) return;
        switch (_origin, array)
        {
            case (Origin.HugePages, byte[] a): HugePageBuffers.Return(new HugePageBuffers.Buffer(a, _byteOffset, _hugeCapacity)); break;
            case (Origin.ArrayPool, float[] a): ArrayPool<float>.Shared.Return(a); break;
            case (Origin.ArrayPool, double[] a): ArrayPool<double>.Shared.Return(a); break;
            case (Origin.ArrayPool, int[] a): ArrayPool<int>.Shared.Return(a); break;
            case (Origin.ArrayPool, long[] a): ArrayPool<long>.Shared.Return(a); break;
            case (Origin.ArrayPool, byte[] a): ArrayPool<byte>.Shared.Return(a); break;
            case (Origin.ArrayPool, bool[] a): ArrayPool<bool>.Shared.Return(a); break;
        }
    }

    private ref byte First() =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array ?? ThrowReleased()), _byteOffset);

    private static CpuStorage Rent<T>(DType dtype, int length)
    {
        // Tiny tensors (scalars, biases) are cheaper to allocate than to pool; big ones would land on the
        // large-object heap, whose collections are what pooling avoids.
        if (length < 256) return new CpuStorage(dtype, new T[length], length, Origin.Owned);
        return new CpuStorage(dtype, ArrayPool<T>.Shared.Rent(length), length, Origin.ArrayPool);
    }

    private static Array ThrowReleased()
    {
        Throw.Disposed("This tensor");
        return null!;
    }
}
