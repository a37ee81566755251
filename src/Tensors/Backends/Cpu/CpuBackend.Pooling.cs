using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public unsafe void Pool2D(bool max, Tensor x, WindowGeometry geometry, Tensor y)
    {
        if (x.DType == DType.Float32)
        {
            fixed (float* px = Span<float>(x), py = Span<float>(y))
                Pool2DKernels.Forward(max, px, py, geometry);
        }
        else if (x.DType == DType.Float64)
        {
            fixed (double* px = Span<double>(x), py = Span<double>(y))
                Pool2DKernels.Forward(max, px, py, geometry);
        }
        else Throw.DTypeNotSupported(nameof(Pool2D), x.DType);
    }

    public unsafe void Pool2DGrad(bool max, Tensor x, Tensor y, Tensor gradY, WindowGeometry geometry, Tensor gradX)
    {
        if (x.DType == DType.Float32)
        {
            fixed (float* px = Span<float>(x), py = Span<float>(y), pg = Span<float>(gradY), pd = Span<float>(gradX))
                Pool2DKernels.Backward(max, px, py, pg, pd, geometry);
        }
        else if (x.DType == DType.Float64)
        {
            fixed (double* px = Span<double>(x), py = Span<double>(y), pg = Span<double>(gradY), pd = Span<double>(gradX))
                Pool2DKernels.Backward(max, px, py, pg, pd, geometry);
        }
        else Throw.DTypeNotSupported(nameof(Pool2DGrad), x.DType);
    }
}
