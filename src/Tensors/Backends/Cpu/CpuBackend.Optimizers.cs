using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Framework.Tensors.Backends.Cpu;

/// <summary>Fused optimizer updates: one pass over the variable, its gradient and its slots instead of one per op.</summary>
/// <remarks>
/// Written as a tensor expression, an Adam step makes about ten passes over memory and allocates as many
/// temporaries; here each element is loaded once, updated in registers and stored once. The operations, their order
/// and their rounding are exactly those of Keras's update rules (each product and sum rounded separately; the JIT
/// never contracts them into fused multiply-adds), so the results are bit-identical to the unfused float32 formula.
/// </remarks>
internal sealed partial class CpuBackend
{
    public void AdamUpdate(Tensor variable, Tensor gradient, Tensor m, Tensor v, Tensor? vhat, double alpha,
        double oneMinusBeta1, double oneMinusBeta2, double epsilon, double weightDecay, double learningRate)
    {
        if (variable.DType == DType.Float64)
            Adam<double>(variable, gradient, m, v, vhat, alpha, oneMinusBeta1, oneMinusBeta2, epsilon, weightDecay, learningRate);
        else
            Adam<float>(variable, gradient, m, v, vhat, alpha, oneMinusBeta1, oneMinusBeta2, epsilon, weightDecay, learningRate);
    }

    public void SgdUpdate(Tensor variable, Tensor gradient, Tensor? velocity, double learningRate, double momentum, bool nesterov)
    {
        if (variable.DType == DType.Float64) Sgd<double>(variable, gradient, velocity, learningRate, momentum, nesterov);
        else Sgd<float>(variable, gradient, velocity, learningRate, momentum, nesterov);
    }

    public void RmsPropUpdate(Tensor variable, Tensor gradient, Tensor rms, Tensor? averageGradient, Tensor? momentumSlot,
        double learningRate, double rho, double oneMinusRho, double momentum, double epsilon)
    {
        if (variable.DType == DType.Float64)
            RmsProp<double>(variable, gradient, rms, averageGradient, momentumSlot, learningRate, rho, oneMinusRho, momentum, epsilon);
        else
            RmsProp<float>(variable, gradient, rms, averageGradient, momentumSlot, learningRate, rho, oneMinusRho, momentum, epsilon);
    }

    private static void Adam<T>(Tensor variable, Tensor gradient, Tensor mt, Tensor vt, Tensor? vhatt, double alphaD,
        double oneMinusBeta1, double oneMinusBeta2, double epsilon, double weightDecay, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w = ref Ref<T>(variable), g = ref Ref<T>(gradient), m = ref Ref<T>(mt), v = ref Ref<T>(vt);
        ref T vh = ref vhatt is null ? ref Unsafe.NullRef<T>() : ref Ref<T>(vhatt);
        bool amsgrad = vhatt is not null, decay = weightDecay != 0;
        T alpha = T.CreateTruncating(alphaD), b1 = T.CreateTruncating(oneMinusBeta1), b2 = T.CreateTruncating(oneMinusBeta2);
        T eps = T.CreateTruncating(epsilon), wd = T.CreateTruncating(weightDecay), lr = T.CreateTruncating(learningRate);
        nuint n = (nuint)variable.Size, i = 0, width = (nuint)Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + width <= n; i += width)
            {
                var wi = Vector.LoadUnsafe(ref w, i);
                var gi = Vector.LoadUnsafe(ref g, i);
                if (decay) wi -= wi * wd * lr;
                var mi = Vector.LoadUnsafe(ref m, i);
                var vi = Vector.LoadUnsafe(ref v, i);
                mi += (gi - mi) * b1;
                vi += (gi * gi - vi) * b2;
                mi.StoreUnsafe(ref m, i);
                vi.StoreUnsafe(ref v, i);
                if (amsgrad)
                {
                    vi = Vector.Max(Vector.LoadUnsafe(ref vh, i), vi);
                    vi.StoreUnsafe(ref vh, i);
                }
                wi -= mi * alpha / (Vector.SquareRoot(vi) + new Vector<T>(eps));
                wi.StoreUnsafe(ref w, i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref w, i), gi = Unsafe.Add(ref g, i);
            if (decay) wi -= wi * wd * lr;
            T mi = Unsafe.Add(ref m, i) + (gi - Unsafe.Add(ref m, i)) * b1;
            T vi = Unsafe.Add(ref v, i) + (gi * gi - Unsafe.Add(ref v, i)) * b2;
            Unsafe.Add(ref m, i) = mi;
            Unsafe.Add(ref v, i) = vi;
            if (amsgrad) Unsafe.Add(ref vh, i) = vi = T.Max(Unsafe.Add(ref vh, i), vi);
            Unsafe.Add(ref w, i) = wi - mi * alpha / (T.Sqrt(vi) + eps);
        }
    }

    private static void Sgd<T>(Tensor variable, Tensor gradient, Tensor? velocity, double learningRate, double momentum, bool nesterov)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w = ref Ref<T>(variable), g = ref Ref<T>(gradient);
        ref T u = ref velocity is null ? ref Unsafe.NullRef<T>() : ref Ref<T>(velocity);
        bool hasMomentum = velocity is not null;
        T lr = T.CreateTruncating(learningRate), mu = T.CreateTruncating(momentum);
        nuint n = (nuint)variable.Size, i = 0, width = (nuint)Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + width <= n; i += width)
            {
                var wi = Vector.LoadUnsafe(ref w, i);
                var step = Vector.LoadUnsafe(ref g, i) * lr;
                if (!hasMomentum)
                {
                    (wi - step).StoreUnsafe(ref w, i);
                    continue;
                }
                var ui = Vector.LoadUnsafe(ref u, i) * mu - step;
                ui.StoreUnsafe(ref u, i);
                (nesterov ? wi + (ui * mu - step) : wi + ui).StoreUnsafe(ref w, i);
            }
        }
        for (; i < n; i++)
        {
            T step = Unsafe.Add(ref g, i) * lr;
            if (!hasMomentum)
            {
                Unsafe.Add(ref w, i) -= step;
                continue;
            }
            T ui = Unsafe.Add(ref u, i) = Unsafe.Add(ref u, i) * mu - step;
            Unsafe.Add(ref w, i) += nesterov ? ui * mu - step : ui;
        }
    }

    private static void RmsProp<T>(Tensor variable, Tensor gradient, Tensor rmsT, Tensor? averageT, Tensor? momentumT,
        double learningRate, double rhoD, double oneMinusRho, double momentum, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w = ref Ref<T>(variable), g = ref Ref<T>(gradient), r = ref Ref<T>(rmsT);
        ref T a = ref averageT is null ? ref Unsafe.NullRef<T>() : ref Ref<T>(averageT);
        ref T p = ref momentumT is null ? ref Unsafe.NullRef<T>() : ref Ref<T>(momentumT);
        bool centered = averageT is not null, hasMomentum = momentumT is not null;
        T lr = T.CreateTruncating(learningRate), rho = T.CreateTruncating(rhoD), omr = T.CreateTruncating(oneMinusRho);
        T mu = T.CreateTruncating(momentum), eps = T.CreateTruncating(epsilon);
        nuint n = (nuint)variable.Size, i = 0, width = (nuint)Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + width <= n; i += width)
            {
                var gi = Vector.LoadUnsafe(ref g, i);
                var ri = Vector.LoadUnsafe(ref r, i) * rho + gi * gi * omr;
                ri.StoreUnsafe(ref r, i);
                var denominator = ri + new Vector<T>(eps);
                if (centered)
                {
                    var ai = Vector.LoadUnsafe(ref a, i) * rho + gi * omr;
                    ai.StoreUnsafe(ref a, i);
                    denominator = ri - ai * ai + new Vector<T>(eps);
                }
                var increment = gi * lr / Vector.SquareRoot(denominator);
                if (hasMomentum)
                {
                    increment = Vector.LoadUnsafe(ref p, i) * mu + increment;
                    increment.StoreUnsafe(ref p, i);
                }
                (Vector.LoadUnsafe(ref w, i) - increment).StoreUnsafe(ref w, i);
            }
        }
        for (; i < n; i++)
        {
            T gi = Unsafe.Add(ref g, i);
            T ri = Unsafe.Add(ref r, i) = Unsafe.Add(ref r, i) * rho + gi * gi * omr;
            T denominator = ri + eps;
            if (centered)
            {
                T ai = Unsafe.Add(ref a, i) = Unsafe.Add(ref a, i) * rho + gi * omr;
                denominator = ri - ai * ai + eps;
            }
            T increment = gi * lr / T.Sqrt(denominator);
            if (hasMomentum) increment = Unsafe.Add(ref p, i) = Unsafe.Add(ref p, i) * mu + increment;
            Unsafe.Add(ref w, i) -= increment;
        }
    }

    private static ref T Ref<T>(Tensor t) where T : unmanaged => ref MemoryMarshal.GetReference(Span<T>(t));
}
