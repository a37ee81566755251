using System.Text.Json;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Saving;
using Framework.Training;

namespace Framework.Tests.Layers;

public class EmbeddingTests
{
    // From tests/tools/embedding_reference.py (torch.nn.functional.embedding, float32, objective sum(Upstream * output)).
    private static readonly float[] Table = [0.066f, 0.047f, 0.458f, 1.693f, 1.457f, 1.932f, -1.442f, 0.728f, -1.313f, -0.328f, -0.152f, -2.691f, 1.742f, -0.524f, -0.284f, 0.453f, -1.668f, -1.587f];
    private static readonly long[] Indices = [1, 5, 1, 0, 3, 3, 3, 2];
    private static readonly float[] Upstream = [-0.558f, -0.337f, 0.112f, 0.16f, 0.575f, -0.567f, -0.962f, 0.808f, -0.132f, -1.579f, -1.77f, -0.579f, -1.014f, -1.224f, -0.323f, 0.255f, 1.978f, 0.419f, -0.28f, 1.239f, 1.506f, -0.113f, 1.38f, 1.196f];
    private static readonly float[] ExpectedOutput = [1.69299996f, 1.45700002f, 1.93200004f, 0.453000009f, -1.66799998f, -1.58700001f, 1.69299996f, 1.45700002f, 1.93200004f, 0.0659999996f, 0.0469999984f, 0.458000004f, -0.328000009f, -0.151999995f, -2.69099998f, -0.328000009f, -0.151999995f, -2.69099998f, -0.328000009f, -0.151999995f, -2.69099998f, -1.44200003f, 0.727999985f, -1.31299996f];
    private static readonly float[] ExpectedTableGradient = [-1.579f, -1.76999998f, -0.578999996f, -1.51999998f, 0.471000016f, -0.0199999958f, -0.112999998f, 1.38f, 1.19599998f, -1.03900003f, 1.99300003f, 1.602f, 0f, 0f, 0f, 0.159999996f, 0.574999988f, -0.566999972f];

    private static Embedding WithReferenceTable()
    {
        var embedding = new Embedding(6, 3);
        embedding.EnsureBuilt([2, 4]);
        embedding.Embeddings.Assign(Tensor.FromArray(Table, 6, 3));
        return embedding;
    }

    [TestCase(DType.Int64)]
    [TestCase(DType.Int32)]
    [TestCase(DType.Float32)]
    public void Apply_ReferenceIndices_MatchesTorchForwardAndBackward(DType indexType)
    {
        var embedding = WithReferenceTable();
        var indices = Tensor.FromArray(Indices, 2, 4).Cast(indexType);

        var output = embedding.Apply(indices, training: true);
        (output * Tensor.FromArray(Upstream, 2, 4, 3)).Sum().Backward();

        Assert.That(output.Shape, Is.EqualTo(new Shape(2, 4, 3)));
        Assert.That(output.DType, Is.EqualTo(DType.Float32));
        Assert.That(output.ToArray<float>(), Is.EqualTo(ExpectedOutput));
        TensorAssert.AllClose([.. ExpectedTableGradient.Select(x => (double)x)], embedding.Embeddings.Grad!, 1e-6, 1e-6);
    }

    [Test]
    public void CheckGradients_RepeatedIndices_TableGradientMatchesFiniteDifferences()
    {
        var embedding = WithReferenceTable();
        var indices = Tensor.FromArray(Indices, 2, 4);
        var output = embedding.Apply(indices, training: true);
        (output.Cast(DType.Float64) * Tensor.FromArray(Upstream, 2, 4, 3).Cast(DType.Float64)).Sum().Backward();
        var analytic = embedding.Embeddings.Grad!.ToArray<float>();
        for (int i = 0; i < Table.Length; i++)
        {
            double Objective(float delta)
            {
                var shifted = (float[])Table.Clone();
                shifted[i] += delta;
                embedding.Embeddings.Assign(Tensor.FromArray(shifted, 6, 3));
                using var _ = Autograd.NoGrad();
                return (embedding.Apply(indices).Cast(DType.Float64) * Tensor.FromArray(Upstream, 2, 4, 3).Cast(DType.Float64)).Sum().Item<double>();
            }
            double numeric = (Objective(1e-2f) - Objective(-1e-2f)) / 2e-2;
            Assert.That(analytic[i], Is.EqualTo(numeric).Within(1e-4 + 1e-4 * Math.Abs(numeric)), $"table element {i}");
        }
    }

    [TestCase(6)]
    [TestCase(-1)]
    public void Apply_IndexOutsideInputDim_ThrowsNamingIndexAndInputDim(long bad)
    {
        var embedding = new Embedding(6, 3, name: "words");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Apply(Tensor.FromArray(new long[] { 0, 2, bad, 1 }, 2, 2)));
        Assert.That(error!.Message, Does.Contain("Embedding 'words'").And.Contain($"index {bad}").And.Contain("position 2").And.Contain("input_dim=6"));
    }

    [Test]
    public void Constructor_Defaults_KerasUniformInitializerAndEmbeddingsWeight()
    {
        RandomGenerator.SetGlobalSeed(3);
        var embedding = new Embedding(50, 4);
        var output = embedding.Apply(Tensor.FromArray(new int[] { 1, 2, 3 }, 3));
        Assert.That(output.Shape, Is.EqualTo(new Shape(3, 4)));
        Assert.That(embedding.Children.Select(c => c.Name), Is.EqualTo(new[] { "embeddings" }));
        var table = embedding.Embeddings.Value.ToArray<float>();
        Assert.That(table, Has.All.InRange(-0.05f, 0.05f));
        Assert.That(table.Max() - table.Min(), Is.GreaterThan(0.08f), "spread over the whole (-0.05, 0.05) range");
        var config = embedding.GetConfig();
        Assert.That(JsonSerializer.Serialize(config["embeddings_initializer"]), Does.Contain("RandomUniform").And.Contain("-0.05"));
    }

    [Test]
    public void ConfigRoundTrip_ThroughRegistry_SameConfigAndOutput()
    {
        var embedding = new Embedding(10, 5, new RandomNormal(0, 0.1), new L2(0.01), name: "tokens");
        var x = Tensor.FromArray(new int[] { 0, 9, 4, 4 }, 2, 2);
        embedding.Apply(x);
        LayerTester.CheckConfigRoundTrip(embedding, x);
        Assert.That(embedding.RegularizationLoss(), Is.Not.Null);
    }

    [Test]
    public void FromConfig_Keras3Json_ReadsSizesAndInitializer()
    {
        // The config Keras 3's Embedding.get_config() writes into a .keras archive.
        var config = JsonSerializer.Deserialize<Dictionary<string, object?>>("""
            {"name": "embedding", "trainable": true,
             "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
             "input_dim": 1000, "output_dim": 64,
             "embeddings_initializer": {"module": "keras.initializers", "class_name": "RandomUniform",
                                        "config": {"seed": null, "minval": -0.05, "maxval": 0.05}, "registered_name": null},
             "embeddings_regularizer": null, "activity_regularizer": null, "embeddings_constraint": null, "mask_zero": false}
            """)!;
        var layer = (Embedding)LayerRegistry.Create("Embedding", config);
        Assert.That((layer.Name, layer.InputDim, layer.OutputDim), Is.EqualTo(("embedding", 1000, 64)));
        Assert.That(layer.EmbeddingsInitializer, Is.TypeOf<RandomUniform>());
        Assert.That(((RandomUniform)layer.EmbeddingsInitializer).Minval, Is.EqualTo(-0.05));
        Assert.That(layer.EmbeddingsRegularizer, Is.Null);
    }

    [Test]
    public void FromConfig_MaskZeroTrue_ThrowsNotSupportedNamingOption()
    {
        var config = new Dictionary<string, object?> { ["name"] = "e", ["input_dim"] = 5, ["output_dim"] = 2, ["mask_zero"] = true };
        var error = Assert.Throws<NotSupportedException>(() => LayerRegistry.Create("Embedding", config));
        Assert.That(error!.Message, Does.Contain("mask_zero"));
    }

    [TestCase(0, 3, "input_dim")]
    [TestCase(4, -1, "output_dim")]
    public void Constructor_NonPositiveSize_ThrowsNamingArgument(int inputDim, int outputDim, string argument)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(inputDim, outputDim));
        Assert.That(error!.Message, Does.Contain(argument));
    }

    [Test]
    public void SaveAndLoad_TrainedTextModel_PredictsIdenticallyAndSummaryShowsShapes()
    {
        RandomGenerator.SetGlobalSeed(9);
        var rng = new Random(4);
        var x = Tensor.FromArray([.. Enumerable.Range(0, 32 * 6).Select(_ => (float)rng.Next(20))], 32, 6);
        var y = Tensor.FromArray([.. Enumerable.Range(0, 32).Select(i => (float)(i % 2))], 32);
        var model = new Sequential([new Embedding(20, 4), new Reshape([3, 8]), new Flatten(), new Dense(2)], inputShape: [6]);
        model.Compile(new Adagrad(0.1), new SparseCategoricalCrossentropy(fromLogits: true));
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        using var dir = new SaveDirectory();

        model.Save(dir.ModelPath);
        var loaded = Model.Load(dir.ModelPath);

        Assert.That(loaded.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        var summary = new StringWriter();
        ((Sequential)loaded).Summary(summary);
        Assert.That(summary.ToString(), Does.Contain("(Embedding)").And.Contain("(None, 6, 4)").And.Contain("(Reshape)").And.Contain("(None, 3, 8)")
            .And.Contain("Total params: 130"));
    }
}
