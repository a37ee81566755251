using System.Diagnostics;
using System.Text.Json;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Tests.Serialization.Checkpoints;
using Framework.Training;

namespace Framework.Tests.Training.Persistence;

/// <summary>LSTM and GRU in Keras's files, with Keras's names: <c>lstm/lstm_cell/kernel:0</c> in Keras 2's <c>.h5</c>,
/// <c>layers/lstm/cell/vars/0</c> in Keras 3's <c>.weights.h5</c>.</summary>
/// <remarks>No Keras fixture holds a recurrent layer in HDF5 (the LSTM fixture is a TF checkpoint), so the expected names
/// come from Keras's source, cited in tests/tools/keras_rnn_h5_writer.py: our files are read back by h5py
/// (keras_h5_check.py), and files written by h5py in Keras's layout are loaded by our reader.</remarks>
public class KerasRecurrentFileTests
{
    private const int Units = 3, Steps = 5, Features = 4;

    private static Layer Recurrent(string kind) => kind == "lstm" ? new Lstm(Units, name: "lstm") : new Gru(Units, name: "gru");

    private static Sequential NewModel(string kind, bool compiled)
    {
        var model = new Sequential([Recurrent(kind), new Dense(2, name: "dense")], inputShape: [Steps, Features]);
        if (compiled) model.Compile(new Adam(0.01), new MeanSquaredError());
        return model;
    }

    private static (Tensor X, Tensor Y) Data()
    {
        const int n = 12;
        var x = Tensor.FromArray(Enumerable.Range(0, n * Steps * Features).Select(i => MathF.Sin(i * 0.37f)).ToArray(), n, Steps, Features);
        var y = Tensor.FromArray(Enumerable.Range(0, n * 2).Select(i => MathF.Cos(i * 0.91f)).ToArray(), n, 2);
        return (x, y);
    }

    private static Sequential Trained(string kind)
    {
        RandomGenerator.SetGlobalSeed(5);
        var model = NewModel(kind, compiled: true);
        var (x, y) = Data();
        model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0);
        return model;
    }

    /// <summary>Runs a script of tests/tools with Debian's Python (h5py); asserts it succeeded and printed no ERROR line.</summary>
    internal static string[] Lines(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root(), "tests", "tools", script));
        foreach (string arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), output + stderr.Result);
        Assert.That(output, Does.Not.Contain("ERROR"), output);
        return output.Split('\n');
    }

    private static T Json<T>(string[] lines, string tag) =>
        JsonSerializer.Deserialize<T>(lines.Single(l => l.StartsWith(tag + " ", StringComparison.Ordinal))[(tag.Length + 1)..])!;

    /// <summary>h5py's reading of one of our files: dataset path → (shape, flattened values), and each layer's weight_names.</summary>
    private static (Dictionary<string, (int[] Shape, float[] Values)> Values, Dictionary<string, string[]> Names) Check(string kind, string path)
    {
        var lines = Lines("keras_h5_check.py", kind, path, FixturePaths.Fixtures);
        var values = Json<Dictionary<string, JsonElement>>(lines, "VALUES").ToDictionary(p => p.Key, p => (
            p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
            p.Value.GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()));
        return (values, Json<Dictionary<string, string[]>>(lines, "NAMES"));
    }

    private static RecurrentCell CellOf(Sequential model) => model.Layers[0] switch
    {
        Lstm lstm => lstm.Cell,
        Gru gru => gru.Cell,
        var other => throw new AssertionException($"not a recurrent layer: {other}"),
    };

    private static void AssertSame((int[] Shape, float[] Values) saved, Variable variable)
    {
        Assert.That(saved.Shape, Is.EqualTo(variable.Shape.ToArray()), variable.Name);
        Assert.That(saved.Values, Is.EqualTo(variable.Value.ToArray<float>()), variable.Name);
    }

    [Test]
    public void SaveWeights_Keras2H5_NamesTheCellWeightsAsTfKeras([Values("lstm", "gru")] string kind)
    {
        using var dir = new TempDirectory();
        var model = Trained(kind);
        model.SaveWeights(dir.File("w.h5"));
        var (values, names) = Check("weights2", dir.File("w.h5"));
        string[] expected = [$"{kind}/{kind}_cell/kernel:0", $"{kind}/{kind}_cell/recurrent_kernel:0", $"{kind}/{kind}_cell/bias:0"];
        Assert.That(names[kind], Is.EqualTo(expected));
        Assert.That(names["dense"], Is.EqualTo(new[] { "dense/kernel:0", "dense/bias:0" }));
        var cell = CellOf(model);
        AssertSame(values[$"{kind}/{kind}/{kind}_cell/kernel:0"], cell.Kernel);
        AssertSame(values[$"{kind}/{kind}/{kind}_cell/recurrent_kernel:0"], cell.RecurrentKernel);
        AssertSame(values[$"{kind}/{kind}/{kind}_cell/bias:0"], cell.Bias!);
    }

    [Test]
    public void Save_LegacyH5_NamesOptimizerSlotsAfterTheTfKerasVariables([Values("lstm", "gru")] string kind)
    {
        using var dir = new TempDirectory();
        var model = Trained(kind);
        model.Save(dir.File("m.h5"));
        var (values, names) = Check("model2", dir.File("m.h5"));
        Assert.That(names[$"model_weights/{kind}"][0], Is.EqualTo($"{kind}/{kind}_cell/kernel:0"));
        var cell = CellOf(model);
        var m = model.Optimizer!.SlotVariables.Single(s => ReferenceEquals(s.Original, cell.RecurrentKernel) && s.SlotName == "m").Slot;
        AssertSame(values[$"optimizer_weights/Adam/{kind}/{kind}_cell/recurrent_kernel/m:0"], m);
    }

    [Test]
    public void SaveWeights_Keras3_FilesTheCellUnderCell([Values("lstm", "gru")] string kind, [Values("w.weights.h5", "m.keras")] string name)
    {
        using var dir = new TempDirectory();
        var model = Trained(kind);
        if (name.EndsWith(".keras", StringComparison.Ordinal)) model.Save(dir.File(name));
        else model.SaveWeights(dir.File(name));
        var (values, _) = Check(name.EndsWith(".keras", StringComparison.Ordinal) ? "keras" : "weights3", dir.File(name));
        var cell = CellOf(model);
        AssertSame(values[$"layers/{kind}/cell/vars/0"], cell.Kernel);
        AssertSame(values[$"layers/{kind}/cell/vars/1"], cell.RecurrentKernel);
        AssertSame(values[$"layers/{kind}/cell/vars/2"], cell.Bias!);
        Assert.That(values.Keys.Where(k => k.StartsWith($"layers/{kind}/vars/", StringComparison.Ordinal)), Is.Empty, "the RNN layer owns no variable itself");
        AssertSame(values["layers/dense/vars/0"], model.Layers[1].Weights[0]);
    }

    [Test]
    public void LoadWeights_FilesInKerasLayoutWrittenByH5py_LoadEveryValue(
        [Values("lstm", "gru")] string kind, [Values("keras2", "keras224", "keras3")] string layout)
    {
        using var dir = new TempDirectory();
        string path = dir.File(layout == "keras3" ? "w.weights.h5" : "w.h5");
        var expected = Json<float[][]>(Lines("keras_rnn_h5_writer.py", kind, layout, $"{Units}", $"{Features}", path), "VALUES");
        var model = NewModel(kind, compiled: false);
        var report = model.LoadWeights(path);
        Assert.That(report.Missing, Is.Empty, report.ToString());
        Assert.That(model.Weights.Select(w => w.Value.ToArray<float>()), Is.EqualTo(expected));
    }

    [Test]
    public void LoadWeights_CudnnLayerWeightsFromKeras2_ConvertedAsKerasConvertsThem([Values("lstm", "gru")] string kind)
    {
        // TF 1.x's CuDNNLSTM / CuDNNGRU kept cuDNN's layout (the bias tells: 8·units / 6·units); Keras's loader converts it.
        using var dir = new TempDirectory();
        var expected = Json<float[][]>(Lines("keras_cudnn_h5_writer.py", kind, $"{Units}", $"{Features}", dir.File("w.h5")), "VALUES");
        var model = NewModel(kind, compiled: false);
        var report = model.LoadWeights(dir.File("w.h5"));
        Assert.That(report.Missing, Is.Empty, report.ToString());
        Assert.That(model.Weights.Select(w => w.Value.ToArray<float>()), Is.EqualTo(expected));
    }

    [Test]
    public void LoadWeights_CudnnGruIntoGruWithoutResetAfter_RefusedNamingTheLayer()
    {
        using var dir = new TempDirectory();
        Lines("keras_cudnn_h5_writer.py", "gru", $"{Units}", $"{Features}", dir.File("w.h5"));
        var model = new Sequential([new Gru(Units, resetAfter: false, name: "gru"), new Dense(2, name: "dense")], inputShape: [Steps, Features]);
        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(dir.File("w.h5")));
        Assert.That(e!.Message, Does.Contain("w.h5").And.Contain("cu_dnngru").And.Contain("resetAfter"));
    }

    [Test]
    public void SaveLoad_RecurrentModel_PredictsAndTrainsOnBitIdentically([Values("lstm", "gru")] string kind, [Values("m.keras", "m.h5")] string name)
    {
        using var dir = new TempDirectory();
        var (x, y) = Data();
        var model = Trained(kind);
        model.Save(dir.File(name));
        var loaded = Model.Load(dir.File(name));
        Assert.That(loaded.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0);
        loaded.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0);
        Assert.That(loaded.Weights.Select(w => w.Value.ToArray<float>()), Is.EqualTo(model.Weights.Select(w => w.Value.ToArray<float>())));
    }

    [Test]
    public void SaveLoadWeights_RecurrentModel_EveryKerasFormat_PredictsBitIdentically([Values("lstm", "gru")] string kind, [Values("w.h5", "w.weights.h5")] string name)
    {
        using var dir = new TempDirectory();
        var (x, _) = Data();
        var model = Trained(kind);
        model.SaveWeights(dir.File(name));
        var fresh = NewModel(kind, compiled: true);
        var report = fresh.LoadWeights(dir.File(name));
        Assert.That(report.Missing, Is.Empty, report.ToString());
        Assert.That(fresh.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
    }
}
