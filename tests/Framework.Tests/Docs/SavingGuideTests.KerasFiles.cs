using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Tests.Training.Persistence;
using Framework.Training;

namespace Framework.Tests.Docs;

/// <summary>The snippets under the "who can read it" table of docs/saving.md's Keras files section, run, and the table's
/// "us" and "h5py" columns checked: every file loads back here, and h5py (tests/tools/keras_h5_check.py) reads each
/// HDF5 file with the layout the Keras fixtures show. The Keras 2/3 columns cite their loaders' code (no Keras here).</summary>
public partial class SavingGuideTests
{
    private static string[] H5py(string kind, string path) =>
        KerasRecurrentFileTests.Lines("keras_h5_check.py", kind, Path.GetFullPath(path), FixturePaths.Fixtures);

    [Test]
    public void KerasFiles_EachPathWritesItsFormat_LoadsBackAndH5pyReadsIt()
    {
        var (x, y) = Data();
        var (model, loaded, fresh) = KerasFilesSnippet(x, y);
        var expected = model.Predict(x).ToArray<float>();
        Assert.That(loaded.Predict(x).ToArray<float>(), Is.EqualTo(expected));
        Assert.That(loaded.Optimizer!.Iterations.Value.ToArray<long>(), Is.EqualTo(model.Optimizer!.Iterations.Value.ToArray<long>()), "the Adam state came back");
        Assert.That(fresh.Predict(x).ToArray<float>(), Is.EqualTo(expected));
        Assert.That(Model.Load("runs/keras/model.h5").Predict(x).ToArray<float>(), Is.EqualTo(expected));
        Assert.That(Directory.GetFiles("runs/keras").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "model.h5", "model.keras", "model.weights.h5", "weights.h5" }), "one file per path, no TF prefix");
        H5py("weights3", "runs/keras/model.weights.h5");
        H5py("weights2", "runs/keras/weights.h5");
        H5py("keras", "runs/keras/model.keras");
        H5py("model2", "runs/keras/model.h5");
    }

    private static (Model Model, Model Loaded, Model Fresh) KerasFilesSnippet(Tensor x, Tensor y)
    {
        // Snippet: keras-files
        var model = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")], inputShape: [4]);
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        model.Fit(x, y, epochs: 2, verbose: 0);
        model.SaveWeights("runs/keras/model.weights.h5");   // Keras 3: model.load_weights("model.weights.h5")
        model.SaveWeights("runs/keras/weights.h5");         // tf.keras 2 and Keras 3: model.load_weights("weights.h5")
        model.Save("runs/keras/model.keras");               // Keras 3: keras.saving.load_model("model.keras")
        model.Save("runs/keras/model.h5");                  // tf.keras 2 and Keras 3: load_model("model.h5")

        var loaded = Model.Load("runs/keras/model.keras");  // compiled, with its Adam state: Fit continues
        var fresh = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")], inputShape: [4]);
        fresh.LoadWeights("runs/keras/weights.h5");
        // End of snippet.
        return (model, loaded, fresh);
    }

    [Test]
    public void KerasFiles_CallbacksTakeKerasPaths()
    {
        var (x, y) = Data();
        var model = KerasCallbacksSnippet(x, y);
        Assert.That(File.Exists("runs/keras/best.weights.h5") && File.Exists("runs/keras/model-01.keras"));
        Assert.That(Model.Load("runs/keras/model-02.keras").Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        Assert.That(File.ReadAllText("runs/keras/backup/training_metadata.json"), Does.StartWith("{\"epoch\":2,\"batch\":0,"));
        H5py("weights3", "runs/keras/best.weights.h5");
        H5py("weights3", "runs/keras/backup/latest.weights.h5");
    }

    private static Model KerasCallbacksSnippet(Tensor x, Tensor y)
    {
        var model = new Sequential([new Dense(16, activation: "relu"), new Dense(2, activation: "softmax")], inputShape: [4]);
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        // Snippet: keras-callbacks
        var best = new ModelCheckpoint("runs/keras/best.weights.h5", monitor: "loss", saveBestOnly: true, saveWeightsOnly: true);
        var everyEpoch = new ModelCheckpoint("runs/keras/model-{epoch:02d}.keras");
        // Keras 3's files: runs/keras/backup/latest.weights.h5 and training_metadata.json (keras.callbacks.BackupAndRestore reads them).
        var backup = new BackupAndRestore("runs/keras/backup", deleteCheckpoint: false, format: BackupFormat.Keras);
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [best, everyEpoch, backup]);
        // End of snippet.
        return model;
    }
}
