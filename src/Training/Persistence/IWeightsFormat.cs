using Framework.Serialization;

namespace Framework.Training.Persistence;

/// <summary>A file format for <see cref="Model.SaveWeights"/> and <see cref="Model.LoadWeights"/>; one class per format, chosen by <see cref="PersistenceFormats"/>.</summary>
internal interface IWeightsFormat
{
    /// <summary>The format's name in messages (<c>Keras 3 weights (.weights.h5)</c>).</summary>
    string Name { get; }

    /// <summary>Whether <see cref="Model.SaveWeights"/> to <paramref name="path"/> writes this format (decided by the name, as in Keras).</summary>
    bool SavesTo(string path);

    /// <summary>Whether the existing file at <paramref name="path"/>, starting with <paramref name="header"/>, is in this format.</summary>
    bool Recognizes(string path, byte[] header);

    /// <summary>Takes what a save of <paramref name="model"/>'s weights (and optimizer state when compiled) needs now, and returns
    /// the action that writes it to <paramref name="path"/> atomically.</summary>
    /// <remarks>The Keras formats copy the values here, so the write may run later (in the background) while training goes on;
    /// the TF checkpoint's action reads the live model (ModelCheckpoint freezes it itself).</remarks>
    Action PrepareSave(Model model, string path);

    /// <summary>Writes <paramref name="model"/>'s weights (and optimizer state when compiled) to <paramref name="path"/> atomically,
    /// now: unlike <see cref="PrepareSave"/>, nothing is copied first, since the model cannot change before the write ends.</summary>
    void Save(Model model, string path);

    /// <summary>Loads the weights at <paramref name="path"/> into <paramref name="model"/>; strict loads assign all or nothing.</summary>
    CheckpointMatchReport Load(Model model, string path, bool strict);
}
