using Framework.Tensors;

namespace Framework.Training;

/// <summary>A training objective: the mean over the batch of a per-sample loss (Keras's <c>sum_over_batch_size</c>).</summary>
public abstract class Loss
{
    /// <summary>Creates a loss with the given Keras name.</summary>
    protected Loss(string name) => Name = name;

    /// <summary>The Keras name (<c>sparse_categorical_crossentropy</c>).</summary>
    public string Name { get; }

    /// <summary>The batch-mean loss of <paramref name="predictions"/> against <paramref name="targets"/>; differentiable.</summary>
    /// <exception cref="ArgumentException">The shapes or dtypes of targets and predictions do not fit; the message names both shapes.</exception>
    public abstract Tensor Compute(Tensor targets, Tensor predictions);

    /// <summary>The loss's configuration as JSON-ready values, including its Keras class name.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name };

    /// <summary>Throws unless targets and predictions have the same shape.</summary>
    protected void RequireSameShape(Tensor targets, Tensor predictions)
    {
        if (targets.Shape != predictions.Shape)
            throw new ArgumentException($"{Name}: targets of shape {targets.Shape} do not match predictions of shape {predictions.Shape}.", nameof(targets));
    }

    /// <summary>Targets as the predictions' floating-point dtype.</summary>
    protected static Tensor AsFloat(Tensor targets, Tensor predictions) =>
        targets.DType == predictions.DType ? targets : targets.Cast(predictions.DType);
}
