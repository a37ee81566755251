using System.Diagnostics;
using System.Text.Json;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Tests.Serialization.Checkpoints;
using Framework.Training;

namespace Framework.Tests.Training.Persistence;

/// <summary>Our Keras files read by h5py (tests/tools/keras_h5_check.py), compared with the layout of real Keras fixtures.</summary>
public class KerasFileIndependentCheckTests
{
    private static Sequential Trained()
    {
        var model = new Sequential([new Dense(5, "relu"), new Dropout(0.2), new Dense(3)], inputShape: [4]);
        model.Compile(new Adam(), new MeanSquaredError());
        var (x, y) = CheckpointModels.Data();
        model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        return model;
    }

    private static Dictionary<string, JsonElement> Check(string kind, string path)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root(), "tests", "tools", "keras_h5_check.py"));
        psi.ArgumentList.Add(kind);
        psi.ArgumentList.Add(path);
        psi.ArgumentList.Add(FixturePaths.Fixtures);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), output + stderr.Result);
        Assert.That(output, Does.Not.Contain("ERROR"), output);
        string json = output.Split('\n').Single(l => l.StartsWith("VALUES ", StringComparison.Ordinal))["VALUES ".Length..];
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
    }

    private static float[] Floats(Dictionary<string, JsonElement> values, string path) =>
        [.. values[path].GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble())];

    [Test]
    public void SaveWeights_Keras2H5_H5pyReadsKerasLayoutAndValues()
    {
        using var dir = new TempDirectory();
        var model = Trained();
        model.SaveWeights(dir.File("w.h5"));
        var values = Check("weights2", dir.File("w.h5"));
        var kernel = model.Layers[0].Weights[0];
        Assert.That(Floats(values, $"{model.Layers[0].Name}/{kernel.Name}:0"), Is.EqualTo(kernel.Value.ToArray<float>()));
    }

    [Test]
    public void SaveWeights_Keras3WeightsH5_H5pyReadsKerasLayoutAndValues()
    {
        using var dir = new TempDirectory();
        var model = Trained();
        model.SaveWeights(dir.File("w.weights.h5"));
        var values = Check("weights3", dir.File("w.weights.h5"));
        Assert.That(Floats(values, "layers/dense_1/vars/1"), Is.EqualTo(model.Layers[2].Weights[1].Value.ToArray<float>()));
        Assert.That(values["optimizer/vars/0"].GetProperty("dtype").GetString(), Is.EqualTo("int64"));
        var m = model.Optimizer!.SlotVariables.Single(s => ReferenceEquals(s.Original, model.TrainableWeights[0]) && s.SlotName == "m").Slot;
        Assert.That(Floats(values, "optimizer/vars/2"), Is.EqualTo(m.Value.ToArray<float>()));
    }

    [Test]
    public void Save_LegacyH5_H5pyReadsKerasLayoutAndValues()
    {
        using var dir = new TempDirectory();
        var model = Trained();
        model.Save(dir.File("m.h5"));
        var values = Check("model2", dir.File("m.h5"));
        var bias = model.Layers[2].Weights[1];
        Assert.That(Floats(values, $"model_weights/{model.Layers[2].Name}/{bias.Name}:0"), Is.EqualTo(bias.Value.ToArray<float>()));
        Assert.That(values, Does.ContainKey($"optimizer_weights/Adam/{model.TrainableWeights[0].Name}/v:0"));
    }

    [Test]
    public void Save_KerasArchive_H5pyReadsKerasLayoutAndValues()
    {
        using var dir = new TempDirectory();
        var model = Trained();
        model.Save(dir.File("m.keras"));
        var values = Check("keras", dir.File("m.keras"));
        Assert.That(Floats(values, "layers/dense/vars/0"), Is.EqualTo(model.Layers[0].Weights[0].Value.ToArray<float>()));
    }
}
