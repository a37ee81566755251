using Framework.Tensors.Backends;

namespace Framework.Tensors.Kernels;

/// <summary>The optimizer updates for Framework.Optimizers: checks, then the backend's fused kernel or the generic ops.</summary>
/// <remarks>
/// Slots and gradients must match their variable in shape, dtype (float32 or float64) and device; the backends
/// rely on that and read the elements as flat arrays. Scalars are passed as doubles and rounded once to the dtype.
/// A backend that implements <see cref="IFusedOptimizerKernels"/> runs each update in one call; any other backend gets
/// the same update from <see cref="GenericOptimizerUpdates"/>.
/// </remarks>
internal static class OptimizerKernels
{
    /// <summary>See <see cref="IFusedOptimizerKernels.AdamUpdate"/>.</summary>
    public static void Adam(Variable variable, Tensor gradient, Variable m, Variable v, Variable? vhat, double alpha,
        double oneMinusBeta1, double oneMinusBeta2, double epsilon, double weightDecay, double learningRate)
    {
        Check(variable, gradient, "gradient");
        Check(variable, m.Value, m.Name);
        Check(variable, v.Value, v.Name);
        if (vhat is not null) Check(variable, vhat.Value, vhat.Name);
        if (Fused(variable) is { } fused)
            fused.AdamUpdate(variable.Value, gradient, m.Value, v.Value, vhat?.Value, alpha, oneMinusBeta1, oneMinusBeta2, epsilon, weightDecay, learningRate);
        else
            GenericOptimizerUpdates.Adam(variable, gradient, m, v, vhat, alpha, oneMinusBeta1, oneMinusBeta2, epsilon, weightDecay, learningRate);
    }

    /// <summary>See <see cref="IFusedOptimizerKernels.SgdUpdate"/>.</summary>
    public static void Sgd(Variable variable, Tensor gradient, Variable? velocity, double learningRate, double momentum, bool nesterov)
    {
        Check(variable, gradient, "gradient");
        if (velocity is not null) Check(variable, velocity.Value, velocity.Name);
        if (Fused(variable) is { } fused) fused.SgdUpdate(variable.Value, gradient, velocity?.Value, learningRate, momentum, nesterov);
        else GenericOptimizerUpdates.Sgd(variable, gradient, velocity, learningRate, momentum, nesterov);
    }

    /// <summary>See <see cref="IFusedOptimizerKernels.RmsPropUpdate"/>.</summary>
    public static void RmsProp(Variable variable, Tensor gradient, Variable rms, Variable? averageGradient, Variable? momentumSlot,
        double learningRate, double rho, double oneMinusRho, double momentum, double epsilon)
    {
        Check(variable, gradient, "gradient");
        Check(variable, rms.Value, rms.Name);
        if (averageGradient is not null) Check(variable, averageGradient.Value, averageGradient.Name);
        if (momentumSlot is not null) Check(variable, momentumSlot.Value, momentumSlot.Name);
        if (Fused(variable) is { } fused)
            fused.RmsPropUpdate(variable.Value, gradient, rms.Value, averageGradient?.Value, momentumSlot?.Value, learningRate, rho, oneMinusRho, momentum, epsilon);
        else
            GenericOptimizerUpdates.RmsProp(variable, gradient, rms, averageGradient, momentumSlot, learningRate, rho, oneMinusRho, momentum, epsilon);
    }

    /// <summary>See <see cref="IFusedOptimizerKernels.AdadeltaUpdate"/>.</summary>
    public static void Adadelta(Variable variable, Tensor gradient, Variable accumulatedGrad, Variable accumulatedDelta,
        double learningRate, double rho, double oneMinusRho, double epsilon)
    {
        Check(variable, gradient, "gradient");
        Check(variable, accumulatedGrad.Value, accumulatedGrad.Name);
        Check(variable, accumulatedDelta.Value, accumulatedDelta.Name);
        if (Fused(variable) is { } fused)
            fused.AdadeltaUpdate(variable.Value, gradient, accumulatedGrad.Value, accumulatedDelta.Value, learningRate, rho, oneMinusRho, epsilon);
        else
            GenericOptimizerUpdates.Adadelta(variable, gradient, accumulatedGrad, accumulatedDelta, learningRate, rho, oneMinusRho, epsilon);
    }

    /// <summary>The backend's fused kernels, or null when it has none.</summary>
    private static IFusedOptimizerKernels? Fused(Variable variable) => variable.Value.Backend as IFusedOptimizerKernels;

    private static void Check(Variable variable, Tensor other, string what)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (variable.DType is not (DType.Float32 or DType.Float64))
            Throw.NotSupported($"Optimizer updates need a float32 or float64 variable; {variable} is {variable.DType.Name()}.");
        if (other.Shape != variable.Shape || other.DType != variable.DType || other.Device != variable.Device)
            Throw.Argument($"Optimizer update of {variable}: {what} must have the same shape, dtype and device; received {other.Shape} {other.DType.Name()} on {other.Device}.", nameof(other));
    }
}
