using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public unsafe void Conv2D(Tensor x, Tensor kernel, WindowGeometry geometry, Tensor y)
    {
        int outChannels = kernel.Shape[3];
        if (x.DType == DType.Float32)
        {
            fixed (float* px = Span<float>(x), pk = Span<float>(kernel), py = Span<float>(y))
                Conv2DKernels.Forward(px, pk, py, geometry, outChannels);
        }
        else if (x.DType == DType.Float64)
        {
            fixed (double* px = Span<double>(x), pk = Span<double>(kernel), py = Span<double>(y))
                Conv2DKernels.Forward(px, pk, py, geometry, outChannels);
        }
        else Throw.DTypeNotSupported(nameof(Conv2D), x.DType);
    }

    public unsafe void Conv2DInputGrad(Tensor gradY, Tensor kernel, WindowGeometry geometry, Tensor gradX)
    {
        int outChannels = kernel.Shape[3];
        if (gradY.DType == DType.Float32)
        {
            fixed (float* pg = Span<float>(gradY), pk = Span<float>(kernel), px = Span<float>(gradX))
                Conv2DKernels.BackwardInput(pg, pk, px, geometry, outChannels);
        }
        else if (gradY.DType == DType.Float64)
        {
            fixed (double* pg = Span<double>(gradY), pk = Span<double>(kernel), px = Span<double>(gradX))
                Conv2DKernels.BackwardInput(pg, pk, px, geometry, outChannels);
        }
        else Throw.DTypeNotSupported(nameof(Conv2DInputGrad), gradY.DType);
    }

    public unsafe void Conv2DKernelGrad(Tensor x, Tensor gradY, WindowGeometry geometry, Tensor gradKernel)
    {
        int outChannels = gradKernel.Shape[3];
        if (x.DType == DType.Float32)
        {
            fixed (float* px = Span<float>(x), pg = Span<float>(gradY), pk = Span<float>(gradKernel))
                Conv2DKernels.BackwardKernel(px, pg, pk, geometry, outChannels);
        }
        else if (x.DType == DType.Float64)
        {
            fixed (double* px = Span<double>(x), pg = Span<double>(gradY), pk = Span<double>(gradKernel))
                Conv2DKernels.BackwardKernel(px, pg, pk, geometry, outChannels);
        }
        else Throw.DTypeNotSupported(nameof(Conv2DKernelGrad), x.DType);
    }
}
