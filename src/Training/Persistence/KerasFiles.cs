namespace Framework.Training.Persistence;

/// <summary>Checks shared by the Keras file formats.</summary>
internal static class KerasFiles
{
    /// <summary>Keras files list the variables a built model has; an unbuilt model has none yet.</summary>
    /// <exception cref="InvalidOperationException">The model is not built.</exception>
    public static void RequireBuilt(Model model, string path)
    {
        if (!model.IsBuilt)
            throw new InvalidOperationException($"'{path}': Keras's .h5, .weights.h5 and .keras files hold a built model's variables, and '{model.Name}' is not built. " +
                "Give it an input shape (Sequential(..., inputShape: [...]) or a leading InputLayer) or call it once first.");
    }
}
