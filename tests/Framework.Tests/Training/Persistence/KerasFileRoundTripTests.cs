using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Tests.Serialization.Checkpoints;
using Framework.Training;

namespace Framework.Tests.Training.Persistence;

/// <summary>Every format × {weights, whole model} × {not compiled, Adam, SGD, RMSprop}: identical predictions after loading,
/// and after a whole-model load, training that continues bit-identically to never having stopped.</summary>
public class KerasFileRoundTripTests
{
    private static readonly string[] s_modelPaths = ["model.keras", "model.h5", "model_dir"];
    private static readonly string[] s_weightPaths = ["w.weights.h5", "w.h5", "w_prefix"];

    private static Optimizer? NewOptimizer(string kind) => kind switch
    {
        "adam" => new Adam(0.01),
        "sgd" => new Sgd(0.05, momentum: 0.9),
        "rmsprop" => new RmsProp(0.01),
        _ => null,
    };

    private static Sequential NewModel(string optimizer)
    {
        var model = new Sequential([new Dense(6, "relu"), new Dropout(0.25, seed: 3), new Dense(3)], inputShape: [4]);
        if (NewOptimizer(optimizer) is { } o) model.Compile(o, new MeanSquaredError());
        return model;
    }

    private static Sequential Trained(string optimizer)
    {
        RandomGenerator.SetGlobalSeed(11);
        var model = NewModel(optimizer);
        if (model.IsCompiled)
        {
            var (x, y) = CheckpointModels.Data();
            model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        }
        return model;
    }

    private static float[][] State(Model model) =>
        [.. model.Weights.Select(w => w.Value.ToArray<float>()), .. (model.Optimizer?.SlotVariables ?? []).Select(s => s.Slot.Value.ToArray<float>())];

    [Test]
    public void SaveLoad_WholeModel_PredictsAndTrainsOnBitIdentically(
        [ValueSource(nameof(s_modelPaths))] string name, [Values("none", "adam", "sgd", "rmsprop")] string optimizer)
    {
        using var dir = new TempDirectory();
        var (x, y) = CheckpointModels.Data();
        var model = Trained(optimizer);
        model.Save(dir.File(name));
        var loaded = Model.Load(dir.File(name));
        Assert.That(loaded.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        Assert.That(loaded.IsCompiled, Is.EqualTo(model.IsCompiled));
        if (!model.IsCompiled) return;
        Assert.That(loaded.Optimizer!.GetType(), Is.EqualTo(model.Optimizer!.GetType()));
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        loaded.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        Assert.That(State(loaded), Is.EqualTo(State(model)));
        Assert.That(loaded.Optimizer.Iterations.Value.ToArray<long>(), Is.EqualTo(model.Optimizer.Iterations.Value.ToArray<long>()));
    }

    [Test]
    public void SaveLoadWeights_EveryFormat_PredictsBitIdentically(
        [ValueSource(nameof(s_weightPaths))] string name, [Values("none", "adam", "sgd", "rmsprop")] string optimizer)
    {
        using var dir = new TempDirectory();
        var (x, _) = CheckpointModels.Data();
        var model = Trained(optimizer);
        model.SaveWeights(dir.File(name));
        var fresh = NewModel(optimizer);
        var report = fresh.LoadWeights(dir.File(name));
        Assert.That(report.Missing, Is.Empty, report.ToString());
        Assert.That(fresh.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        // Keras 3's .weights.h5 (like the TF checkpoint) carries the optimizer state; Keras 2's weights .h5 does not.
        if (model.IsCompiled && name != "w.h5") Assert.That(State(fresh), Is.EqualTo(State(model)));
    }

    [Test]
    public void Load_RenamedFiles_RecognisedByContent()
    {
        using var dir = new TempDirectory();
        var (x, _) = CheckpointModels.Data();
        var model = Trained("adam");
        model.Save(dir.File("a.keras"));
        model.Save(dir.File("b.h5"));
        model.SaveWeights(dir.File("c.weights.h5"));
        File.Move(dir.File("a.keras"), dir.File("a.bin"));
        File.Move(dir.File("b.h5"), dir.File("b.model"));
        File.Move(dir.File("c.weights.h5"), dir.File("c.dat"));
        Assert.That(Model.Load(dir.File("a.bin")).Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        Assert.That(Model.Load(dir.File("b.model")).Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        var fresh = NewModel("adam");
        fresh.LoadWeights(dir.File("c.dat"));
        Assert.That(fresh.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
    }

    [Test]
    public void Load_FileInNoKnownFormat_ListsTheFormatsTried()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("notes.h5"), "not a model");
        var e = Assert.Throws<FileNotFoundException>(() => Model.Load(dir.File("notes.h5")));
        Assert.That(e!.Message, Does.Contain("Keras 3 archive (.keras)").And.Contain("Keras HDF5 model (.h5)").And.Contain("notes.h5"));
        var w = Assert.Throws<FileNotFoundException>(() => NewModel("none").LoadWeights(dir.File("notes.h5")));
        Assert.That(w!.Message, Does.Contain("Keras 3 weights (.weights.h5)").And.Contain("Keras 2 weights (.h5)"));
    }

    [Test]
    public void SaveWeights_H5Names_WriteOneFileNotACheckpointPrefix()
    {
        using var dir = new TempDirectory();
        var model = Trained("adam");
        model.SaveWeights(dir.File("my_model_weights.h5"));
        model.SaveWeights(dir.File("model.weights.h5"));
        model.Save(dir.File("my_complete_model.h5"));
        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "model.weights.h5", "my_complete_model.h5", "my_model_weights.h5" }));
    }

    [Test]
    public void LoadWeights_ShapeMismatch_StrictAssignsNothing()
    {
        using var dir = new TempDirectory();
        var model = Trained("adam");
        model.SaveWeights(dir.File("w.weights.h5"));
        var other = new Sequential([new Dense(6, "relu"), new Dropout(0.25), new Dense(2)], inputShape: [4]);
        var before = other.Weights.Select(w => w.Value.ToArray<float>()).ToList();
        var e = Assert.Throws<Framework.Serialization.CheckpointMismatchException>(() => other.LoadWeights(dir.File("w.weights.h5")));
        Assert.That(e!.Message, Does.Contain("layers/dense_1/vars/0"));
        Assert.That(other.Weights.Select(w => w.Value.ToArray<float>()), Is.EqualTo(before));
    }
}
