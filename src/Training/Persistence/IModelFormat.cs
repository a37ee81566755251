namespace Framework.Training.Persistence;

/// <summary>A whole-model file format for <see cref="Model.Save(string, IReadOnlyDictionary{string, string})"/> and <see cref="Model.Load"/>;
/// one class per format, chosen by <see cref="PersistenceFormats"/>.</summary>
internal interface IModelFormat
{
    /// <summary>The format's name in messages (<c>Keras 3 archive (.keras)</c>).</summary>
    string Name { get; }

    /// <summary>Whether saving to <paramref name="path"/> writes this format (decided by the name, as in Keras).</summary>
    bool SavesTo(string path);

    /// <summary>Whether what exists at <paramref name="path"/>, a file starting with <paramref name="header"/> or a directory, is in this format.</summary>
    bool Recognizes(string path, byte[] header);

    /// <summary>Takes what a save of the whole model needs now, and returns the action that writes it to <paramref name="path"/> atomically.</summary>
    /// <remarks>The Keras formats copy the values here, so the write may run later (in the background) while training goes on.</remarks>
    Action PrepareSave(Model model, string path, IReadOnlyDictionary<string, string>? metadata);

    /// <summary>Re-creates the model saved at <paramref name="path"/>: architecture, weights, compile configuration and optimizer state.</summary>
    Model Load(string path);
}
