using Framework.Layers;
using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Training.Saving;

/// <summary>The random streams training consumes (the shuffle generator and every Dropout's mask generator), as one trackable.</summary>
/// <remarks>
/// <para>Saved under the root's child <c>framework_training_state</c>, so these keys never collide with Keras's
/// (<c>layer-N</c>, <c>layer_with_weights-N</c>, <c>optimizer</c>):</para>
/// <list type="bullet">
/// <item><c>framework_training_state/shuffle/_state_var/.ATTRIBUTES/VARIABLE_VALUE</c>: the model's
/// <see cref="Model.ShuffleGenerator"/> (int64[3]); present only when the model had created one (it has shuffled),
/// because creating it draws from <see cref="RandomGenerator.Global"/> and a save must not move that stream.</item>
/// <item><c>framework_training_state/dropout-K/.ATTRIBUTES/VARIABLE_VALUE</c>: the K-th Dropout layer's
/// <see cref="Dropout.RngStateVariable"/> (int64[3]), K counting Dropout layers in depth-first layer order.</item>
/// </list>
/// <para>Positions, not display names, identify the layers (STYLE 7): names are process-global and may differ.</para>
/// </remarks>
internal sealed class TrainingStreams : Trackable
{
    /// <summary>Tracks <paramref name="model"/>'s Dropout streams and, when given, <paramref name="shuffle"/>.</summary>
    public TrainingStreams(Model model, RandomGenerator? shuffle)
    {
        if (shuffle is not null) Shuffle = Track(SavedModelFormat.ShuffleEdge, new TrackableRandomGenerator(shuffle));
        int k = 0;
        foreach (var dropout in DropoutLayers(model)) Track($"{SavedModelFormat.DropoutEdgePrefix}{k++}", dropout.RngStateVariable);
    }

    /// <summary>The tracked shuffle generator, or null when none is saved.</summary>
    public TrackableRandomGenerator? Shuffle { get; }

    /// <summary>The Dropout layers under <paramref name="root"/>, depth-first in layer order, each once.</summary>
    public static IEnumerable<Dropout> DropoutLayers(Layer root)
    {
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Layer>([root]);
        while (stack.Count > 0)
        {
            var layer = stack.Pop();
            if (!seen.Add(layer)) continue;
            if (layer is Dropout dropout) yield return dropout;
            var children = layer is Sequential s ? s.Layers : layer.ChildLayers.ToList();
            for (int i = children.Count - 1; i >= 0; i--) stack.Push(children[i]);
        }
    }
}
