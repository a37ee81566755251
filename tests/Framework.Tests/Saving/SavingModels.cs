using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Training;

namespace Framework.Tests.Saving;

/// <summary>Models and data shared by the full-model saving tests.</summary>
internal static class SavingModels
{
    /// <summary>Every built-in layer kind that has state or randomness: Flatten, Dense, BatchNormalization, Dropout, Activation.</summary>
    public static Sequential Mixed() => new(
        [new Flatten(), new Dense(8), new BatchNormalization(), new Activation("relu"), new Dropout(0.3), new Dense(2)],
        inputShape: [2, 2]);

    /// <summary>The blobs reshaped to (n, 2, 2), so Flatten has work to do.</summary>
    public static (Tensor X, Tensor Y) Data(int n = 48)
    {
        var (x, y) = ToyData.Blobs(n);
        return (x.Reshape(n, 2, 2), y);
    }

    public static float[][] Weights(Model model) => [.. model.GetWeightValues()];

    public static float[] Predictions(Model model, Tensor x) => model.Predict(x).ToArray<float>();
}

/// <summary>A fresh directory for one test, deleted afterwards; <see cref="Model"/> saves go to <see cref="ModelPath"/>.</summary>
internal sealed class SaveDirectory : IDisposable
{
    public SaveDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "fw-save-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string ModelPath => Path.Combine(Root, "model");

    public string In(params string[] parts) => Path.Combine([ModelPath, .. parts]);

    /// <summary>Every file and directory under <see cref="Root"/>, relative, sorted.</summary>
    public string[] Entries() => [.. Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(Root, p)).Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
