using Framework.Tensors.Backends;

namespace Framework.Tensors.Kernels;

/// <summary>
/// The optimizer updates of <see cref="IFusedOptimizerKernels"/> composed from ordinary tensor ops, for backends that do
/// not implement that optional capability.
/// </summary>
/// <remarks>
/// Each update performs the operations documented on the fused method, in the same order, every one a separate op (so
/// separately rounded), with scalars rounded once to the variable's dtype (<c>tensor * double</c> does that). On the
/// managed CPU backend the result is therefore bit-identical to its fused kernels (tests check it). The price is a pass
/// over memory and a temporary per operation; temporaries belong to the caller's <see cref="TensorScope"/>, and the
/// caller has turned autograd off. Slots and the variable are written with <see cref="Variable.Assign"/>.
/// </remarks>
internal static class GenericOptimizerUpdates
{
    /// <summary>See <see cref="IFusedOptimizerKernels.AdamUpdate"/>.</summary>
    public static void Adam(Variable variable, Tensor g, Variable m, Variable v, Variable? vhat, double alpha,
        double oneMinusBeta1, double oneMinusBeta2, double epsilon, double weightDecay, double learningRate)
    {
        if (weightDecay != 0) variable.Assign(variable.Value - variable.Value * weightDecay * learningRate);
        m.Assign(FlushSubnormal(m.Value + (g - m.Value) * oneMinusBeta1));
        v.Assign(FlushSubnormal(v.Value + (g * g - v.Value) * oneMinusBeta2));
        var second = v.Value;
        if (vhat is not null)
        {
            vhat.Assign(Tensor.Maximum(vhat.Value, v.Value));
            second = vhat.Value;
        }
        variable.Assign(variable.Value - m.Value * alpha / (second.Sqrt() + epsilon));
    }

    /// <summary>See <see cref="IFusedOptimizerKernels.SgdUpdate"/>.</summary>
    public static void Sgd(Variable variable, Tensor g, Variable? velocity, double learningRate, double momentum, bool nesterov)
    {
        var step = g * learningRate;
        if (velocity is null)
        {
            variable.Assign(variable.Value - step);
            return;
        }
        velocity.Assign(velocity.Value * momentum - step);
        variable.Assign(nesterov ? variable.Value + (velocity.Value * momentum - step) : variable.Value + velocity.Value);
    }

    /// <summary>See <see cref="IFusedOptimizerKernels.RmsPropUpdate"/>.</summary>
    public static void RmsProp(Variable variable, Tensor g, Variable rms, Variable? averageGradient, Variable? momentumSlot,
        double learningRate, double rho, double oneMinusRho, double momentum, double epsilon)
    {
        rms.Assign(rms.Value * rho + g * g * oneMinusRho);
        Tensor denominator;
        if (averageGradient is null) denominator = rms.Value + epsilon;
        else
        {
            averageGradient.Assign(averageGradient.Value * rho + g * oneMinusRho);
            denominator = rms.Value - averageGradient.Value * averageGradient.Value + epsilon;
        }
        var increment = g * learningRate / denominator.Sqrt();
        if (momentumSlot is not null)
        {
            momentumSlot.Assign(momentumSlot.Value * momentum + increment);
            increment = momentumSlot.Value;
        }
        variable.Assign(variable.Value - increment);
    }

    /// <summary>See <see cref="IFusedOptimizerKernels.AdadeltaUpdate"/>.</summary>
    public static void Adadelta(Variable variable, Tensor g, Variable accumulatedGrad, Variable accumulatedDelta,
        double learningRate, double rho, double oneMinusRho, double epsilon)
    {
        accumulatedGrad.Assign(accumulatedGrad.Value * rho + oneMinusRho * (g * g));
        var delta = -((accumulatedDelta.Value + epsilon).Sqrt() * g / (accumulatedGrad.Value + epsilon).Sqrt());
        accumulatedDelta.Assign(accumulatedDelta.Value * rho + oneMinusRho * (delta * delta));
        variable.Assign(variable.Value + learningRate * delta);
    }

    /// <summary>Zero where |x| is below the dtype's smallest normal number, as the fused Adam stores its moments.</summary>
    private static Tensor FlushSubnormal(Tensor x)
    {
        double smallestNormal = x.DType == DType.Float64
            ? BitConverter.Int64BitsToDouble(0x0010_0000_0000_0000)
            : BitConverter.Int32BitsToSingle(0x0080_0000);
        return Tensor.Where(x.Abs().Less(smallestNormal), 0, x);
    }
}
