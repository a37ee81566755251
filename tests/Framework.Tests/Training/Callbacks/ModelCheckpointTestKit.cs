using Framework.Tests.Helpers;
using Framework.Training;

namespace Framework.Tests.Training.Callbacks;

/// <summary>Small models, fake monitored values and output capture shared by the ModelCheckpoint tests.</summary>
internal static class ModelCheckpointTestKit
{
    public static Sequential Compiled(double lr = 0.1)
    {
        var model = new Sequential([new TestLinear(8, 11), new TestRelu(), new TestLinear(2, 12)]);
        model.Compile(new PlainSgd(lr), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    /// <summary>The same shape of model from built-in parts only, as whole-model saves need (custom classes must be registered).</summary>
    public static Sequential CompiledBuiltIn(double lr = 0.1)
    {
        Framework.Tensors.RandomGenerator.SetGlobalSeed(11);
        var model = new Sequential([new Framework.Layers.Dense(8, activation: "relu"), new Framework.Layers.Dense(2)]);
        model.Compile(new Framework.Optimizers.Sgd(lr), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        return model;
    }

    /// <summary>Sets <paramref name="key"/> in each epoch's logs to the next value (goes before the checkpoint in the callback list).</summary>
    public static LambdaCallback Fake(string key, params double[] values)
    {
        int epoch = 0;
        return new LambdaCallback { EpochEnd = (_, logs) => logs[key] = values[epoch++] };
    }

    /// <summary>Records the model's weights at every epoch end.</summary>
    public static LambdaCallback RecordWeights(Model model, List<List<float[]>> into) =>
        new() { EpochEnd = (_, _) => into.Add(model.GetWeightValues()) };

    /// <summary>Runs <paramref name="action"/> and returns what it wrote to standard error.</summary>
    public static string CaptureError(Action action)
    {
        var original = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            action();
        }
        finally
        {
            Console.SetError(original);
        }
        return error.ToString();
    }

    /// <summary>The names of the files in <paramref name="directory"/>, sorted.</summary>
    public static string[] Files(string directory) =>
        [.. Directory.GetFiles(directory).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    /// <summary>The file names a weights bundle <paramref name="name"/> consists of.</summary>
    public static string[] Bundle(string name) => [name + ".data-00000-of-00001", name + ".index"];

    /// <summary>A fresh model with the same architecture, built so that loads assign at once.</summary>
    public static Sequential FreshBuilt(Framework.Tensors.Tensor x)
    {
        var model = Compiled();
        model.Predict(x);
        return model;
    }
}
