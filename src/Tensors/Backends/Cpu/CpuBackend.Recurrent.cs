using Framework.Tensors.Kernels;

namespace Framework.Tensors.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void LstmCellForward(Tensor gates, Tensor recurrentGates, Tensor? bias, Tensor previousCell, Tensor cell, Tensor hidden)
    {
        int units = cell.Shape[-1];
        switch (cell.DType)
        {
            case DType.Float32:
                LstmCellKernel.Forward<float>(Span<float>(gates), Span<float>(recurrentGates), bias is null ? default : Span<float>(bias),
                    Span<float>(previousCell), Span<float>(cell), Span<float>(hidden), units);
                break;
            case DType.Float64:
                LstmCellKernel.Forward<double>(Span<double>(gates), Span<double>(recurrentGates), bias is null ? default : Span<double>(bias),
                    Span<double>(previousCell), Span<double>(cell), Span<double>(hidden), units);
                break;
            default: Throw.DTypeNotSupported("LstmCellForward", cell.DType); break;
        }
    }

    public void LstmCellBackward(Tensor gates, Tensor previousCell, Tensor cell, Tensor hiddenGrad, Tensor cellGrad,
        Tensor gatesGrad, Tensor previousCellGrad)
    {
        int units = cell.Shape[-1];
        switch (cell.DType)
        {
            case DType.Float32:
                LstmCellKernel.Backward<float>(Span<float>(gates), Span<float>(previousCell), Span<float>(cell), Span<float>(hiddenGrad),
                    Span<float>(cellGrad), Span<float>(gatesGrad), Span<float>(previousCellGrad), units);
                break;
            case DType.Float64:
                LstmCellKernel.Backward<double>(Span<double>(gates), Span<double>(previousCell), Span<double>(cell), Span<double>(hiddenGrad),
                    Span<double>(cellGrad), Span<double>(gatesGrad), Span<double>(previousCellGrad), units);
                break;
            default: Throw.DTypeNotSupported("LstmCellBackward", cell.DType); break;
        }
    }
}
