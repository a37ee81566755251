using System.Numerics;
using System.Runtime.CompilerServices;

namespace Framework.Tensors.Backends.Cpu;

/// <summary>The fused Adadelta update (see <see cref="IFusedOptimizerKernels.AdadeltaUpdate"/>), beside the other fused optimizer updates.</summary>
/// <remarks>
/// As a tensor expression the step makes about thirteen passes over memory; it is the optimizer of Keras's MNIST CNN,
/// where those passes cost as much as a large part of the training step. Here each element is loaded once and every
/// operation is rounded separately in Keras's order, so the results equal the unfused float32 formula bit for bit.
/// </remarks>
internal sealed partial class CpuBackend
{
    public void AdadeltaUpdate(Tensor variable, Tensor gradient, Tensor accumulatedGrad, Tensor accumulatedDelta,
        double learningRate, double rho, double oneMinusRho, double epsilon)
    {
        if (variable.DType == DType.Float64)
            Adadelta<double>(variable, gradient, accumulatedGrad, accumulatedDelta, learningRate, rho, oneMinusRho, epsilon);
        else
            Adadelta<float>(variable, gradient, accumulatedGrad, accumulatedDelta, learningRate, rho, oneMinusRho, epsilon);
    }

    private static void Adadelta<T>(Tensor variable, Tensor gradient, Tensor accumulatedGrad, Tensor accumulatedDelta,
        double learningRate, double rhoD, double oneMinusRho, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w = ref Ref<T>(variable), g = ref Ref<T>(gradient), a = ref Ref<T>(accumulatedGrad), d = ref Ref<T>(accumulatedDelta);
        T lr = T.CreateTruncating(learningRate), rho = T.CreateTruncating(rhoD), omr = T.CreateTruncating(oneMinusRho), eps = T.CreateTruncating(epsilon);
        nuint n = (nuint)variable.Size, i = 0, width = (nuint)Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> vlr = new(lr), vrho = new(rho), vomr = new(omr), veps = new(eps);
            for (; i + width <= n; i += width)
            {
                var gi = Vector.LoadUnsafe(ref g, i);
                var ai = Vector.LoadUnsafe(ref a, i) * vrho + vomr * (gi * gi);
                ai.StoreUnsafe(ref a, i);
                var di = Vector.LoadUnsafe(ref d, i);
                var delta = -(Vector.SquareRoot(di + veps) * gi / Vector.SquareRoot(ai + veps));
                (di * vrho + vomr * (delta * delta)).StoreUnsafe(ref d, i);
                (Vector.LoadUnsafe(ref w, i) + vlr * delta).StoreUnsafe(ref w, i);
            }
        }
        for (; i < n; i++)
        {
            T gi = Unsafe.Add(ref g, i);
            T ai = Unsafe.Add(ref a, i) = Unsafe.Add(ref a, i) * rho + omr * (gi * gi);
            T di = Unsafe.Add(ref d, i);
            T delta = -(T.Sqrt(di + eps) * gi / T.Sqrt(ai + eps));
            Unsafe.Add(ref d, i) = di * rho + omr * (delta * delta);
            Unsafe.Add(ref w, i) += lr * delta;
        }
    }
}
