using Framework.Tensors;
using Framework.Tensors.Backends;
using Framework.Tensors.Storage;

namespace Framework.Tests.Backends;

/// <summary>
/// A backend written the way one outside the core would be: against the public API only (<see cref="IBackend"/>,
/// <see cref="TensorStorage"/>, <see cref="BackendRegistry"/>), implementing the required interface and not the optional
/// <see cref="IFusedOptimizerKernels"/>. Its memory is a plain byte array per storage; each kernel copies its tensors
/// into CPU tensors, runs the managed CPU backend's kernel and copies the outputs back. The same numbers as the CPU
/// backend come out, so anything that differs shows a path that does not go through the backend honestly.
/// </summary>
/// <param name="device">The external device served.</param>
/// <param name="exposeHostMemory">Whether storages offer their bytes through <see cref="TensorStorage.TryGetHostBytes"/>;
/// without, the backend behaves like a GPU's, reachable only through <see cref="CopyToHost"/> and <see cref="CopyFromHost"/>.</param>
internal sealed class HostArrayBackend(Device device, bool exposeHostMemory) : IBackend
{
    private static readonly IBackend s_cpu = BackendRegistry.For(Device.Cpu);

    /// <summary>External device 0 exposes its host memory; devices 1 and 2 do not (moves between them stage on the host).</summary>
    public static Device WithHostMemory => Device.External(0);

    /// <summary>A device whose memory is reachable only through the backend's copies.</summary>
    public static Device Opaque => Device.External(1);

    /// <summary>A second opaque device, for moves between two devices without host memory.</summary>
    public static Device OtherOpaque => Device.External(2);

    public Device Device => device;

    /// <summary>Installs the factory for <see cref="DeviceType.External"/> (idempotent).</summary>
    public static void Register() => BackendRegistry.Register(DeviceType.External, d => d.Index switch
    {
        0 => new HostArrayBackend(d, exposeHostMemory: true),
        1 or 2 => new HostArrayBackend(d, exposeHostMemory: false),
        _ => null,
    });

    public TensorStorage Allocate(DType dtype, int length) => new ArrayStorage(dtype, length, device, exposeHostMemory);

    public void CopyFromHost(ReadOnlySpan<byte> source, Tensor y) => source.CopyTo(Bytes(y));

    public void CopyToHost(Tensor x, Span<byte> destination) => Bytes(x).CopyTo(destination);

    public void Fill(Tensor y, double value)
    {
        using var c = new CpuCopies();
        s_cpu.Fill(c.Out(y), value);
    }

    public void Expand(Tensor x, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Expand(c.In(x), c.Out(y));
    }

    public void Cast(Tensor x, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Cast(c.In(x), c.Out(y));
    }

    public void Unary(UnaryOp op, Tensor x, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Unary(op, c.In(x), c.Out(y));
    }

    public void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Binary(op, c.In(a), c.In(b), c.Out(y));
    }

    public void Where(Tensor condition, Tensor a, Tensor b, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Where(c.In(condition), c.In(a), c.In(b), c.Out(y));
    }

    public void Reduce(ReduceOp op, Tensor x, int axis, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Reduce(op, c.In(x), axis, c.Out(y));
    }

    public void ArgReduce(bool max, Tensor x, int axis, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.ArgReduce(max, c.In(x), axis, c.Out(y));
    }

    public void MatMul(Tensor a, bool transA, Tensor b, bool transB, Tensor y, bool accumulate)
    {
        using var c = new CpuCopies();
        s_cpu.MatMul(c.In(a), transA, c.In(b), transB, c.Out(y), accumulate);
    }

    public void Transpose(Tensor x, int[] permutation, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Transpose(c.In(x), permutation, c.Out(y));
    }

    public void Softmax(Tensor x, int axis, bool log, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Softmax(c.In(x), axis, log, c.Out(y));
    }

    public void Gather(Tensor x, Tensor indices, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Gather(c.In(x), c.In(indices), c.Out(y));
    }

    public void ScatterAdd(Tensor g, Tensor indices, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.ScatterAdd(c.In(g), c.In(indices), c.Out(y));
    }

    public void Slice(Tensor x, int axis, int start, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Slice(c.In(x), axis, start, c.Out(y));
    }

    public void SliceAssign(Tensor x, int axis, int start, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.SliceAssign(c.In(x), axis, start, c.Out(y));
    }

    public void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor probabilities)
    {
        using var c = new CpuCopies();
        s_cpu.SparseSoftmaxCrossEntropy(c.In(logits), c.In(labels), c.Out(loss), c.Out(probabilities));
    }

    public void SparseSoftmaxCrossEntropyGrad(Tensor probabilities, Tensor labels, Tensor gradLoss, Tensor gradLogits)
    {
        using var c = new CpuCopies();
        s_cpu.SparseSoftmaxCrossEntropyGrad(c.In(probabilities), c.In(labels), c.In(gradLoss), c.Out(gradLogits));
    }

    public void LstmCellForward(Tensor gates, Tensor recurrentGates, Tensor? bias, Tensor previousCell, Tensor cell, Tensor hidden)
    {
        using var c = new CpuCopies();
        s_cpu.LstmCellForward(c.Out(gates), c.In(recurrentGates), c.InOrNull(bias), c.In(previousCell), c.Out(cell), c.Out(hidden));
    }

    public void LstmCellBackward(Tensor gates, Tensor previousCell, Tensor cell, Tensor hiddenGrad, Tensor cellGrad,
        Tensor gatesGrad, Tensor previousCellGrad)
    {
        using var c = new CpuCopies();
        s_cpu.LstmCellBackward(c.In(gates), c.In(previousCell), c.In(cell), c.In(hiddenGrad), c.In(cellGrad), c.Out(gatesGrad), c.Out(previousCellGrad));
    }

    public void Conv2D(Tensor x, Tensor kernel, WindowGeometry geometry, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Conv2D(c.In(x), c.In(kernel), geometry, c.Out(y));
    }

    public void Conv2DInputGrad(Tensor gradY, Tensor kernel, WindowGeometry geometry, Tensor gradX)
    {
        using var c = new CpuCopies();
        s_cpu.Conv2DInputGrad(c.In(gradY), c.In(kernel), geometry, c.Out(gradX));
    }

    public void Conv2DKernelGrad(Tensor x, Tensor gradY, WindowGeometry geometry, Tensor gradKernel)
    {
        using var c = new CpuCopies();
        s_cpu.Conv2DKernelGrad(c.In(x), c.In(gradY), geometry, c.Out(gradKernel));
    }

    public void Pool2D(bool max, Tensor x, WindowGeometry geometry, Tensor y)
    {
        using var c = new CpuCopies();
        s_cpu.Pool2D(max, c.In(x), geometry, c.Out(y));
    }

    public void Pool2DGrad(bool max, Tensor x, Tensor y, Tensor gradY, WindowGeometry geometry, Tensor gradX)
    {
        using var c = new CpuCopies();
        s_cpu.Pool2DGrad(max, c.In(x), c.In(y), c.In(gradY), geometry, c.Out(gradX));
    }

    /// <summary>A tensor's own elements within its storage's byte array.</summary>
    private static Span<byte> Bytes(Tensor t)
    {
        int size = t.DType.SizeInBytes();
        return ((ArrayStorage)t.Storage).Elements.AsSpan(t.Offset * size, t.Size * size);
    }

    /// <summary>CPU copies of one kernel's tensors; outputs are copied back (in order) when disposed.</summary>
    private sealed class CpuCopies : IDisposable
    {
        private readonly List<(Tensor Copy, Tensor Target)> _outputs = [];
        private readonly List<Tensor> _copies = [];

        public Tensor In(Tensor x)
        {
            var copy = Tensor.Zeros(x.Shape, x.DType, Device.Cpu);
            s_cpu.CopyFromHost(Bytes(x), copy);
            _copies.Add(copy);
            return copy;
        }

        public Tensor? InOrNull(Tensor? x) => x is null ? null : In(x);

        /// <summary>An output, with y's current contents (kernels such as MatMul with accumulate or SliceAssign read them).</summary>
        public Tensor Out(Tensor y)
        {
            var copy = In(y);
            _outputs.Add((copy, y));
            return copy;
        }

        public void Dispose()
        {
            foreach (var (copy, target) in _outputs) s_cpu.CopyToHost(copy, Bytes(target));
            foreach (var copy in _copies) copy.Dispose();
        }
    }

    /// <summary>Elements in a managed byte array (never pooled: the test backend keeps it simple).</summary>
    private sealed class ArrayStorage(DType dtype, int length, Device device, bool exposeHostMemory) : TensorStorage(dtype, length)
    {
        public byte[] Elements { get; } = new byte[length * dtype.SizeInBytes()];

        public override Device Device => device;

        public override bool TryGetHostBytes(out Span<byte> bytes)
        {
            bytes = exposeHostMemory ? Elements : default;
            return exposeHostMemory;
        }

        protected override void Free()
        {
        }
    }
}
