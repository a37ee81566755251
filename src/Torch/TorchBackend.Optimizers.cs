using Framework.Tensors;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Framework.Torch;

/// <summary>The fused optimizer updates (<see cref="Framework.Tensors.Backends.IFusedOptimizerKernels"/>) as in-place libtorch ops, in Keras's order of operations.</summary>
/// <remarks>
/// Each step is a handful of element-wise kernels rather than one fused pass. SGD and RMSprop round every operation as
/// the managed backend does; Adam uses libtorch's lerp and addcdiv (three kernels fewer per variable), which may round
/// differently in the last bit, and keeps subnormal moments where the managed Adam flushes them to zero.
/// </remarks>
public sealed partial class TorchBackend
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(double Value, DType DType), TorchTensor> _constants = new();

    /// <inheritdoc/>
    public void AdamUpdate(Tensor variable, Tensor gradient, Tensor m, Tensor v, Tensor? vhat, double alpha,
        double oneMinusBeta1, double oneMinusBeta2, double epsilon, double weightDecay, double learningRate)
    {
        using var w = View(variable);
        using var g = View(gradient);
        using var mt = View(m);
        using var vt = View(v);
        if (weightDecay != 0)
        {
            using var decay = w.T.mul(Round(weightDecay, variable)).mul_(Round(learningRate, variable));
            w.T.sub_(decay);
        }
        // m + (g − m)·(1−β1) is exactly lerp(m, g, 1−β1): one kernel instead of three (libtorch's vectorised lerp
        // may contract it into a fused multiply-add, so it can differ from Keras's float32 formula in the last bit).
        mt.T.lerp_(g.T, Constant(oneMinusBeta1, variable.DType));
        using (var g2 = g.T.square()) vt.T.lerp_(g2, Constant(oneMinusBeta2, variable.DType));
        var second = vt.T;
        NativeView? vh = null;
        if (vhat is not null)
        {
            vh = View(vhat);
            using var largest = vh.Value.T.maximum(vt.T);
            vh.Value.T.copy_(largest);
            second = vh.Value.T;
        }
        using var denominator = second.sqrt().add_(Round(epsilon, variable));
        w.T.addcdiv_(mt.T, denominator, Round(-alpha, variable));   // w − alpha·(m / denominator), one kernel
        vh?.Dispose();
    }

    /// <inheritdoc/>
    public void SgdUpdate(Tensor variable, Tensor gradient, Tensor? velocity, double learningRate, double momentum, bool nesterov)
    {
        using var w = View(variable);
        using var g = View(gradient);
        using var step = g.T.mul(Round(learningRate, variable));
        if (velocity is null)
        {
            w.T.sub_(step);
            return;
        }
        using var u = View(velocity);
        u.T.mul_(Round(momentum, variable)).sub_(step);
        if (!nesterov)
        {
            w.T.add_(u.T);
            return;
        }
        using var ahead = u.T.mul(Round(momentum, variable)).sub_(step);
        w.T.add_(ahead);
    }

    /// <inheritdoc/>
    public void RmsPropUpdate(Tensor variable, Tensor gradient, Tensor rms, Tensor? averageGradient, Tensor? momentumSlot,
        double learningRate, double rho, double oneMinusRho, double momentum, double epsilon)
    {
        using var w = View(variable);
        using var g = View(gradient);
        using var r = View(rms);
        using (var g2 = g.T.square().mul_(Round(oneMinusRho, variable))) r.T.mul_(Round(rho, variable)).add_(g2);
        TorchTensor denominator;
        if (averageGradient is null) denominator = r.T.add(Round(epsilon, variable));
        else
        {
            using var a = View(averageGradient);
            using (var ga = g.T.mul(Round(oneMinusRho, variable))) a.T.mul_(Round(rho, variable)).add_(ga);
            using var a2 = a.T.square();
            denominator = r.T.sub(a2).add_(Round(epsilon, variable));
        }
        using var root = denominator.sqrt_();
        using var increment = g.T.mul(Round(learningRate, variable)).div_(root);
        if (momentumSlot is null)
        {
            w.T.sub_(increment);
            return;
        }
        using var p = View(momentumSlot);
        p.T.mul_(Round(momentum, variable)).add_(increment);
        w.T.sub_(p.T);
    }

    /// <inheritdoc/>
    public void AdadeltaUpdate(Tensor variable, Tensor gradient, Tensor accumulatedGrad, Tensor accumulatedDelta,
        double learningRate, double rho, double oneMinusRho, double epsilon)
    {
        using var w = View(variable);
        using var g = View(gradient);
        using var a = View(accumulatedGrad);
        using var d = View(accumulatedDelta);
        using (var g2 = g.T.square().mul_(Round(oneMinusRho, variable))) a.T.mul_(Round(rho, variable)).add_(g2);
        // Δ = −(sqrt(d + ε)·g) / sqrt(a + ε), each operation rounded separately as in the managed kernel.
        using var delta = d.T.add(Round(epsilon, variable)).sqrt_().mul_(g.T);
        using (var root = a.T.add(Round(epsilon, variable)).sqrt_()) delta.div_(root).neg_();
        using (var delta2 = delta.square().mul_(Round(oneMinusRho, variable))) d.T.mul_(Round(rho, variable)).add_(delta2);
        using var step = delta.mul(Round(learningRate, variable));
        w.T.add_(step);
    }

    /// <summary>A 0-d libtorch tensor holding <paramref name="value"/> (TorchSharp's lerp_ takes its weight as a tensor),
    /// made once per value and dtype: the β's of an optimizer are constants.</summary>
    private TorchTensor Constant(double value, DType dtype) =>
        _constants.GetOrAdd((value, dtype), key => TorchSharp.torch.tensor(key.Value, TorchTypes.Of(key.DType), Native));

    /// <summary>A scalar rounded once to the variable's dtype, as the managed kernels do.</summary>
    private static TorchSharp.Scalar Round(double value, Tensor variable) =>
        variable.DType == DType.Float32 ? (float)value : value;
}
