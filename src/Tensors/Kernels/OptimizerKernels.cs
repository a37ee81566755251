using Framework.Tensors.Backends;

namespace Framework.Tensors.Kernels;

/// <summary>The fused optimizer updates of <see cref="IBackend"/>, for Framework.Optimizers: checks, then one backend call.</summary>
/// <remarks>
/// Slots and gradients must match their variable in shape, dtype (float32 or float64) and device; the backends
/// rely on that and read the elements as flat arrays. Scalars are passed as doubles and rounded once to the dtype.
/// </remarks>
internal static class OptimizerKernels
{
    /// <summary>See <see cref="IBackend.AdamUpdate"/>.</summary>
    public static void Adam(Variable variable, Tensor gradient, Variable m, Variable v, Variable? vhat, double alpha,
        double oneMinusBeta1, double oneMinusBeta2, double epsilon, double weightDecay, double learningRate)
    {
        Check(variable, gradient, "gradient");
        Check(variable, m.Value, m.Name);
        Check(variable, v.Value, v.Name);
        if (vhat is not null) Check(variable, vhat.Value, vhat.Name);
        variable.Value.Backend.AdamUpdate(variable.Value, gradient, m.Value, v.Value, vhat?.Value, alpha,
            oneMinusBeta1, oneMinusBeta2, epsilon, weightDecay, learningRate);
    }

    /// <summary>See <see cref="IBackend.SgdUpdate"/>.</summary>
    public static void Sgd(Variable variable, Tensor gradient, Variable? velocity, double learningRate, double momentum, bool nesterov)
    {
        Check(variable, gradient, "gradient");
        if (velocity is not null) Check(variable, velocity.Value, velocity.Name);
        variable.Value.Backend.SgdUpdate(variable.Value, gradient, velocity?.Value, learningRate, momentum, nesterov);
    }

    /// <summary>See <see cref="IBackend.RmsPropUpdate"/>.</summary>
    public static void RmsProp(Variable variable, Tensor gradient, Variable rms, Variable? averageGradient, Variable? momentumSlot,
        double learningRate, double rho, double oneMinusRho, double momentum, double epsilon)
    {
        Check(variable, gradient, "gradient");
        Check(variable, rms.Value, rms.Name);
        if (averageGradient is not null) Check(variable, averageGradient.Value, averageGradient.Name);
        if (momentumSlot is not null) Check(variable, momentumSlot.Value, momentumSlot.Name);
        variable.Value.Backend.RmsPropUpdate(variable.Value, gradient, rms.Value, averageGradient?.Value, momentumSlot?.Value,
            learningRate, rho, oneMinusRho, momentum, epsilon);
    }

    /// <summary>See <see cref="IBackend.AdadeltaUpdate"/>.</summary>
    public static void Adadelta(Variable variable, Tensor gradient, Variable accumulatedGrad, Variable accumulatedDelta,
        double learningRate, double rho, double oneMinusRho, double epsilon)
    {
        Check(variable, gradient, "gradient");
        Check(variable, accumulatedGrad.Value, accumulatedGrad.Name);
        Check(variable, accumulatedDelta.Value, accumulatedDelta.Name);
        variable.Value.Backend.AdadeltaUpdate(variable.Value, gradient, accumulatedGrad.Value, accumulatedDelta.Value,
            learningRate, rho, oneMinusRho, epsilon);
    }

    private static void Check(Variable variable, Tensor other, string what)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (variable.DType is not (DType.Float32 or DType.Float64))
            Throw.NotSupported($"Optimizer updates need a float32 or float64 variable; {variable} is {variable.DType.Name()}.");
        if (other.Shape != variable.Shape || other.DType != variable.DType || other.Device != variable.Device)
            Throw.Argument($"Optimizer update of {variable}: {what} must have the same shape, dtype and device; received {other.Shape} {other.DType.Name()} on {other.Device}.", nameof(other));
    }
}
