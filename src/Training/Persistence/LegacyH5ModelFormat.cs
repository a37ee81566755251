using System.Text.Json.Nodes;
using PureHDF;

namespace Framework.Training.Persistence;

/// <summary>The legacy Keras HDF5 full model (<c>model.save("x.h5")</c> in tf.keras 2, and Keras 3's legacy writer).</summary>
/// <remarks>
/// <code>
/// /                          attrs backend, keras_version, model_config (JSON), training_config (JSON, when compiled)
/// /model_weights/            Keras 2's weights layout (<see cref="Keras2WeightsLayout"/>)
/// /optimizer_weights/        attr weight_names; Adam/iter:0, Adam/dense/kernel/m:0… (<see cref="KerasOptimizerState"/>)
/// /framework_training_state/ our random streams (<see cref="TrainingStreamsGroup"/>), which Keras never reads
/// </code>
/// Reading accepts every writer the fixtures show: Keras 2.1 (list-style config, <c>Adam/iterations:0</c> and
/// <c>training/Adam/Variable_N:0</c>), tf.keras 2.x (OptimizerV2 names) and Keras 3 (<c>adam/iteration</c>, interleaved moments).
/// </remarks>
internal sealed class LegacyH5ModelFormat : IModelFormat
{
    /// <inheritdoc/>
    public string Name => "Keras HDF5 model (.h5)";

    /// <inheritdoc/>
    public bool SavesTo(string path) => PersistenceFormats.IsH5(path);

    /// <inheritdoc/>
    public bool Recognizes(string path, byte[] header) => FileSignature.IsHdf5(header);

    /// <inheritdoc/>
    public Action PrepareSave(Model model, string path, IReadOnlyDictionary<string, string>? metadata)
    {
        KerasFiles.RequireBuilt(model, path);
        var tree = KerasModelDocument.Tree(model, keras3: false);
        var file = new H5File();
        file.Attributes["backend"] = Keras2WeightsLayout.Backend;
        file.Attributes["keras_version"] = Keras2WeightsLayout.KerasVersion;
        file.Attributes["model_config"] = Strip(tree).ToJsonString();
        if (KerasModelConfig.ToKeras2Training(tree) is { } training) file.Attributes["training_config"] = training.ToJsonString();
        var weights = new H5Group();
        Keras2WeightsLayout.Write(weights, model, snapshot: true);
        file["model_weights"] = weights;
        if (model.Optimizer is { } optimizer)
        {
            string className = tree["compile_config"]!["optimizer"]!["class_name"]!.GetValue<string>();
            file["optimizer_weights"] = Keras2WeightsLayout.OptimizerGroup(KerasOptimizerState.Keras2(optimizer, className, model.TrainableWeights,
                KerasNaming.Keras2WeightNames(KerasNaming.Layers(model))));
        }
        file[TrainingStreamsGroup.Name] = TrainingStreamsGroup.Build(model);
        return () => H5Output.WriteAtomically(file, path);
    }

    /// <inheritdoc/>
    public Model Load(string path)
    {
        using var input = H5Input.Open(path);
        string config = input.StringAttribute(input.Root, "model_config", "/")
            ?? throw new InvalidDataException($"Model.Load: '{path}' has no model_config attribute: it holds weights only. Build the model in code and call LoadWeights.");
        var training = input.StringAttribute(input.Root, "training_config", "/") is { } t ? KerasModelDocument.Parse(t, path, "training_config") : null;
        var model = KerasModelDocument.Create(KerasModelDocument.Parse(config, path, "model_config"), training, path);
        using var into = new WeightAssignments(path, intoNewModel: true);
        var weights = input.Group(input.Root, "model_weights") ?? throw new InvalidDataException($"Model.Load: '{path}' has no model_weights group.");
        Keras2WeightsLayout.Read(input, weights, "model_weights", model, into);
        if (input.Group(input.Root, "optimizer_weights") is { } optimizerGroup)
        {
            var (values, keras3) = Keras2WeightsLayout.ReadOptimizer(input, optimizerGroup, "optimizer_weights");
            KerasOptimizerState.Match(into, model, values, keras3);
        }
        if (input.Group(input.Root, TrainingStreamsGroup.Name) is { } streams)
            into.AfterAssign(TrainingStreamsGroup.Read(input, streams, TrainingStreamsGroup.Name, model));
        into.Apply(strict: true, "the model its model_config describes");
        return model;
    }

    /// <summary>Keras 2's <c>model_config</c> is the model part only (the compile part goes to <c>training_config</c>).</summary>
    private static JsonObject Strip(JsonObject tree)
    {
        var copy = (JsonObject)tree.DeepClone();
        copy.Remove("compile_config");
        copy.Remove("module");
        return copy;
    }
}
