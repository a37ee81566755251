using Framework.Tensors;

namespace Framework.Layers;

/// <summary>Supplies the initial value of every weight a layer creates with <c>AddWeight</c>, in place of its initializer,
/// while installed with <see cref="WeightSource.Use"/>.</summary>
/// <remarks>
/// A loader installs one while it re-creates a saved model: every weight is about to be overwritten by the saved values,
/// and the saved configuration (a small file anyone can edit) decides the shapes, so the source checks each shape against
/// what the saved data holds before anything is allocated and returns a cheap placeholder instead of running the
/// initializer. Every layer, built-in or custom, creates its weights through <c>AddWeight</c>, so one source covers them all.
/// </remarks>
/// <example>
/// <code>
/// sealed class Zeros : IWeightSource
/// {
///     public Tensor Create(Layer layer, string name, Shape shape, DType dtype) => Tensor.Zeros(shape, dtype);
/// }
/// using (WeightSource.Use(new Zeros())) model.Build(inputShape);
/// </code>
/// </example>
public interface IWeightSource
{
    /// <summary>The value of the weight <paramref name="name"/> of <paramref name="layer"/>; throw to refuse the weight
    /// (the exception reaches the code that built the layer).</summary>
    /// <param name="layer">The layer creating the weight.</param>
    /// <param name="name">The weight's local name (<c>kernel</c>).</param>
    /// <param name="shape">The shape the layer asks for.</param>
    /// <param name="dtype">The weight's dtype.</param>
    /// <returns>A new tensor of <paramref name="shape"/> and <paramref name="dtype"/>; the layer copies it into its variable and disposes it.</returns>
    Tensor Create(Layer layer, string name, Shape shape, DType dtype);
}
