using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Training.Persistence;

/// <summary>Thousands of mutated copies of the Keras fixtures (fixed seed): loading gives only the documented exceptions, each
/// naming the file, and a load that fails leaves the model's weights untouched.</summary>
public class KerasFileMutationTests
{
    private const int CopiesPerFixture = 400;

    private static Sequential Keras3Model()
    {
        var model = new Sequential([new Dense(12, "relu"), new Dense(8, "relu"), new Dense(1, "sigmoid")], inputShape: [8]);
        model.Compile(new Adam(), new BinaryCrossentropy());
        return model;
    }

    private static void AssertDocumented(Exception e, string path)
    {
        Assert.That(e, Is.InstanceOf<InvalidDataException>().Or.InstanceOf<CheckpointMismatchException>().Or.InstanceOf<FileNotFoundException>()
            .Or.InstanceOf<InvalidOperationException>().Or.InstanceOf<NotSupportedException>(), e.ToString());
        if (e is InvalidDataException or FileNotFoundException or InvalidOperationException)
            Assert.That(e.Message, Does.Contain(Path.GetFileName(path)), e.ToString());
    }

    [TestCase("keras2_weights_h5_dense", "weights_iteration.h5", 1)]
    [TestCase("keras3_weights_h5", "model.weights.h5", 2)]
    public void LoadWeights_MutatedFixture_DocumentedErrorsAndNothingHalfLoaded(string fixture, string file, int seed)
    {
        byte[] original = File.ReadAllBytes(FixturePaths.Fixture(fixture, file));
        var random = new Random(seed);
        using var dir = new TempDirectory();
        for (int i = 0; i < CopiesPerFixture; i++)
        {
            string path = dir.File($"m{i}{Path.GetExtension(file)}");
            File.WriteAllBytes(path, Mutator.Mutate(original, random));
            var model = seed == 1 ? new Sequential([new Dense(9, "relu"), new Dense(9, "softmax")], inputShape: [9]) : Keras3Model();
            var before = model.Weights.Select(w => w.Value.ToArray<float>()).ToList();
            try
            {
                model.LoadWeights(path);
            }
            catch (Exception e)
            {
                AssertDocumented(e, path);
                Assert.That(model.Weights.Select(w => w.Value.ToArray<float>()), Is.EqualTo(before), $"copy {i} was half-loaded");
            }
        }
    }

    [TestCase("keras2_full_model_h5_sgd", "xor.h5", 3)]
    [TestCase("keras3_legacy_full_model_h5", "model.h5", 4)]
    [TestCase("keras3_keras_archive_small", "model.keras", 5)]
    public void Load_MutatedFixture_DocumentedErrorsOnly(string fixture, string file, int seed)
    {
        byte[] original = File.ReadAllBytes(FixturePaths.Fixture(fixture, file));
        var random = new Random(seed);
        using var dir = new TempDirectory();
        for (int i = 0; i < CopiesPerFixture; i++)
        {
            string path = dir.File($"m{i}{Path.GetExtension(file)}");
            File.WriteAllBytes(path, Mutator.Mutate(original, random));
            try
            {
                Model.Load(path);
            }
            catch (Exception e)
            {
                AssertDocumented(e, path);
            }
        }
    }
}
