namespace Framework.Training.Saving;

/// <summary>The names that make up a saved model directory: file names, JSON keys and checkpoint edges.</summary>
/// <remarks>These are wire names (part of the file format), kept here as constants so they can be grepped and pinned by tests.</remarks>
internal static class SavedModelFormat
{
    /// <summary>The architecture and compile configuration (Keras 3's <c>.keras</c> schema).</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The framework version, date saved and user metadata.</summary>
    public const string MetadataFile = "metadata.json";

    /// <summary>The folder holding the TensorFlow checkpoint.</summary>
    public const string VariablesDirectory = "variables";

    /// <summary>The checkpoint prefix inside <see cref="VariablesDirectory"/>, as TensorFlow's SavedModel names it.</summary>
    public const string VariablesPrefix = "variables";

    /// <summary>The value of the top-level <c>module</c> key.</summary>
    public const string Module = "framework";

    /// <summary>The class name written for <see cref="Sequential"/> (Keras's).</summary>
    public const string SequentialClassName = "Sequential";

    /// <summary>The child of the checkpoint root that holds the training random streams; no Keras key starts with it.</summary>
    public const string TrainingStateEdge = "framework_training_state";

    /// <summary>The edge (under <see cref="TrainingStateEdge"/>) to the shuffle generator, whose variable is <c>_state_var</c>.</summary>
    public const string ShuffleEdge = "shuffle";

    /// <summary>The prefix of the edges to each Dropout layer's mask-stream state: <c>dropout-0</c>, <c>dropout-1</c>… in layer order.</summary>
    public const string DropoutEdgePrefix = "dropout-";

    /// <summary>The suffix of the sibling directory a save is written into before it is swapped in.</summary>
    public const string PendingSuffix = ".saving";

    /// <summary>The suffix the previous save carries between the two renames of a swap.</summary>
    public const string PreviousSuffix = ".previous";
}
