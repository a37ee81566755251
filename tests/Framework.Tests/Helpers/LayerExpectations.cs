using Framework.Tensors;

namespace Framework.Tests.Helpers;

/// <summary>What <see cref="LayerTester.Run"/> expects of a layer.</summary>
/// <param name="InputShape">The input shape, batch included.</param>
/// <param name="OutputShape">The expected output shape.</param>
/// <param name="Trainable">The expected number of trainable weights.</param>
/// <param name="NonTrainable">The expected number of non-trainable weights.</param>
/// <param name="Children">The expected checkpoint edge names (<see cref="Trackable.Children"/>), in order.</param>
public sealed record LayerExpectations(Shape InputShape, Shape OutputShape, int Trainable, int NonTrainable, string[] Children)
{
    /// <summary>Whether to run the layer in training mode for the output and gradient checks.</summary>
    public bool Training { get; init; }

    /// <summary>Whether to run the finite-difference gradient check (off for layers that are random in training).</summary>
    public bool CheckGradients { get; init; } = true;
}
