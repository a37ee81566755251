namespace Framework.Tensors.Backends;

/// <summary>
/// Optional fused optimizer updates: a backend that implements this beside <see cref="IBackend"/> updates a variable and
/// its slots in one call per step; the optimizers compose the same update from ordinary tensor ops on backends that don't.
/// </summary>
/// <remarks>
/// <para>
/// The fallback (Framework.Tensors' <c>GenericOptimizerUpdates</c>) performs exactly the operations documented on each
/// method, in the same order and each rounded separately, so a backend whose element-wise kernels round correctly gets
/// the same bits from both paths (the managed CPU backend does: its fused kernels are checked bit for bit against the
/// fallback). A backend may also choose faster kernels that round differently in the last bit (libtorch's Adam uses
/// lerp and addcdiv) and say so. A fused kernel exists for speed: it reads and writes each element once instead of once per operation.
/// </para>
/// <para>
/// All tensors are contiguous with the variable's shape, dtype (float32 or float64) and device, and are updated in
/// place. Scalars are passed as doubles and rounded to that dtype once; no operation is contracted into a fused
/// multiply-add, so float32 results equal Keras's.
/// </para>
/// </remarks>
public interface IFusedOptimizerKernels
{
    /// <summary>
    /// One fused Adam/AdamW step in place, in Keras's order of float operations: when
    /// <paramref name="weightDecay"/> ≠ 0, w ← w − (w·wd)·lr; then m ← m + (g − m)·(1−β1),
    /// v ← v + (g² − v)·(1−β2), vhat ← max(vhat, v) when <paramref name="vhat"/> is given, and
    /// w ← w − (m·alpha) / (sqrt(vhat or v) + ε).
    /// </summary>
    /// <remarks>
    /// The managed CPU backend and the fallback flush the stored moments m and v to zero where they are subnormal
    /// (smaller in magnitude than the dtype's smallest normal number), as TensorFlow's CPU kernels do: a moment decaying
    /// towards zero would otherwise stick in the subnormal range, where every operation is slow; vhat and w then see
    /// the flushed values. A backend may keep subnormal moments instead (libtorch's does): the difference is smaller
    /// than the smallest normal number.
    /// </remarks>
    void AdamUpdate(Tensor variable, Tensor gradient, Tensor m, Tensor v, Tensor? vhat, double alpha,
        double oneMinusBeta1, double oneMinusBeta2, double epsilon, double weightDecay, double learningRate);

    /// <summary>
    /// One fused SGD step in place (Keras): without <paramref name="velocity"/>, w ← w − g·lr; with it,
    /// u ← u·μ − g·lr and then w ← w + u, or w ← w + (u·μ − g·lr) when <paramref name="nesterov"/>.
    /// </summary>
    void SgdUpdate(Tensor variable, Tensor gradient, Tensor? velocity, double learningRate, double momentum, bool nesterov);

    /// <summary>
    /// One fused RMSprop step in place (Keras): r ← ρ·r + (1−ρ)·g²; when centered, a ← ρ·a + (1−ρ)·g and
    /// d = (r − a²) + ε, else d = r + ε; i = (lr·g) / sqrt(d); with <paramref name="momentumSlot"/>
    /// p ← μ·p + i and w ← w − p, else w ← w − i.
    /// </summary>
    void RmsPropUpdate(Tensor variable, Tensor gradient, Tensor rms, Tensor? averageGradient, Tensor? momentumSlot,
        double learningRate, double rho, double oneMinusRho, double momentum, double epsilon);

    /// <summary>
    /// One fused Adadelta step in place (Keras): a ← a·ρ + (1−ρ)·g²; Δ = −(sqrt(d + ε)·g) / sqrt(a + ε);
    /// d ← d·ρ + (1−ρ)·Δ²; w ← w + lr·Δ. Each operation rounded separately, as in <see cref="AdamUpdate"/>.
    /// </summary>
    void AdadeltaUpdate(Tensor variable, Tensor gradient, Tensor accumulatedGrad, Tensor accumulatedDelta,
        double learningRate, double rho, double oneMinusRho, double epsilon);
}
