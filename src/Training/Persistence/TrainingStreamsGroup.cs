using Framework.Tensors;
using Framework.Training.Saving;
using PureHDF;

namespace Framework.Training.Persistence;

/// <summary>The random streams training consumes, stored beside Keras's data so a reloaded model trains on bit-identically.</summary>
/// <remarks>
/// Keras files have no place for them, so they sit in a group Keras's loaders never read: <c>/framework_training_state</c> of a
/// full-model <c>.h5</c>, and the archive member <c>framework_training_state.h5</c> of a <c>.keras</c> file. Datasets (int64[3],
/// a <see cref="RandomState"/>): <c>shuffle</c> (only when the model has created its shuffle generator) and <c>dropout-K</c>
/// for the K-th Dropout layer in depth-first order, as in the directory format (<see cref="TrainingStreams"/>).
/// </remarks>
internal static class TrainingStreamsGroup
{
    /// <summary>The group's name in a full-model <c>.h5</c> and the archive member's stem in a <c>.keras</c> file.</summary>
    public const string Name = "framework_training_state";

    /// <summary>The group holding <paramref name="model"/>'s streams.</summary>
    public static H5Group Build(Model model)
    {
        var group = new H5Group();
        if (model.ExistingShuffleGenerator is { } shuffle) group["shuffle"] = new H5Dataset(shuffle.GetState().ToArray(), fileDims: [RandomState.ArrayLength]);
        int k = 0;
        foreach (var dropout in TrainingStreams.DropoutLayers(model))
            group[$"dropout-{k++}"] = new H5Dataset(dropout.RngState.ToArray(), fileDims: [RandomState.ArrayLength]);
        return group;
    }

    /// <summary>Reads the streams in <paramref name="group"/>; the returned action applies them (after the weights are assigned).</summary>
    /// <exception cref="InvalidDataException">A stream is not an int64[3] dataset.</exception>
    public static Action Read(H5Input input, IH5Group group, string where, Model model)
    {
        RandomState? shuffle = input.Dataset(group, "shuffle") is { } s ? State(input, s, $"{where}/shuffle") : null;
        var dropouts = new List<(Framework.Layers.Dropout Layer, RandomState State)>();
        int k = 0;
        foreach (var dropout in TrainingStreams.DropoutLayers(model))
        {
            string key = $"{where}/dropout-{k++}";
            if (input.Dataset(group, $"dropout-{k - 1}") is { } d) dropouts.Add((dropout, State(input, d, key)));
        }
        return () =>
        {
            if (shuffle is { } saved) model.ShuffleGenerator = new RandomGenerator(saved);
            foreach (var (layer, state) in dropouts) layer.RngState = state;
        };
    }

    private static RandomState State(H5Input input, IH5Dataset dataset, string key)
    {
        using var value = input.ReadTensor(dataset, key);
        if (value.DType != DType.Int64 || value.Shape != new Shape(RandomState.ArrayLength))
            throw new InvalidDataException($"'{input.Path}': '{key}' must be an int64 array of {RandomState.ArrayLength}; found {value.DType.Name()} {value.Shape}.");
        return RandomState.FromArray(value.ToArray<long>());
    }
}
