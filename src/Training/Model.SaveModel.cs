namespace Framework.Training;

public abstract partial class Model
{
    /// <summary>Saves the whole model to <paramref name="directory"/>: architecture, weights, optimizer state and compile configuration.</summary>
    /// <remarks>Work in progress on this branch: implemented by the full-model saving change.</remarks>
    /// <param name="directory">The directory to write (<c>config.json</c>, <c>metadata.json</c>, <c>variables/</c>).</param>
    /// <param name="metadata">User metadata stored in <c>metadata.json</c>.</param>
    public void Save(string directory, IReadOnlyDictionary<string, string>? metadata = null) =>
        throw new NotImplementedException("Model.Save is being implemented.");

    /// <summary>Loads a model saved by <see cref="Save"/>, compiled when it was saved compiled.</summary>
    /// <param name="directory">The directory <see cref="Save"/> wrote.</param>
    public static Model Load(string directory) =>
        throw new NotImplementedException("Model.Load is being implemented.");
}
