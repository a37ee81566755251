using Framework.Layers;
using Framework.Tensors;
using Framework.Tests.Helpers;

namespace Framework.Tests.Layers;

[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class DenseTests(Device device) : OnDevice(device)
{
    private static Tensor Matrix(float[,] values) => Tensor.FromArray(values);

    private static Dense Built(int units, string? activation, float[,] kernel, float[] bias)
    {
        var dense = new Dense(units, activation);
        dense.EnsureBuilt([1, kernel.GetLength(0)]);
        dense.Kernel.Assign(Matrix(kernel));
        dense.Bias!.Assign(Tensor.FromArray(bias, bias.Length));
        return dense;
    }

    [Test]
    public void Apply_HandComputedExample_MatchesMatMulPlusBias()
    {
        var dense = Built(3, null, new float[,] { { 1, 0, -1 }, { 2, 1, 0 } }, [0.5f, -0.5f, 1]);
        var y = dense.Apply(Matrix(new float[,] { { 1, 2 }, { 3, 4 } }));
        TensorAssert.AllClose([5.5, 1.5, 0, 11.5, 3.5, -2], y);
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 3)));
    }

    [Test]
    public void Apply_ReluActivation_ClampsNegativeOutputs()
    {
        var dense = Built(3, "relu", new float[,] { { 1, 0, -1 }, { 2, 1, 0 } }, [0.5f, -0.5f, 1]);
        TensorAssert.AllClose([5.5, 1.5, 0, 11.5, 3.5, 0], dense.Apply(Matrix(new float[,] { { 1, 2 }, { 3, 4 } })));
    }

    [Test]
    public void Apply_SoftmaxActivation_RowsSumToOne()
    {
        var dense = Built(2, "softmax", new float[,] { { 1, 0 }, { 0, 1 } }, [0, 0]);
        var y = dense.Apply(Matrix(new float[,] { { 0, (float)Math.Log(3) } }));
        TensorAssert.AllClose([0.25, 0.75], y, 1e-6);
    }

    [Test]
    public void Apply_Rank3Input_AppliesKernelToLastAxis()
    {
        var dense = new Dense(5, "tanh");
        var x = LayerTester.Random(3, [2, 3, 4]);
        var y = dense.Apply(x);
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 3, 5)));
        var flat = dense.Apply(x.Reshape(6, 4));
        TensorAssert.AllClose(flat.Reshape(2, 3, 5), y, 1e-6);
    }

    [Test]
    public void Conformance_WithBias_TwoTrainableWeightsNamedKernelAndBias()
    {
        var layer = (Dense)LayerTester.Run(() => new Dense(3, "tanh"), new([4, 5], [4, 3], 2, 0, ["kernel", "bias"]));
        Assert.That(layer.Kernel.Shape, Is.EqualTo(new Shape(5, 3)));
        Assert.That(layer.Bias!.Shape, Is.EqualTo(new Shape(3)));
        Assert.That(layer.Kernel.Name, Is.EqualTo($"{layer.Name}/kernel"));
    }

    [Test]
    public void Conformance_WithoutBias_OnlyKernel()
    {
        var layer = (Dense)LayerTester.Run(() => new Dense(2, useBias: false), new([3, 4], [3, 2], 1, 0, ["kernel"]));
        Assert.That(layer.Bias, Is.Null);
    }

    [Test]
    public void Build_DefaultInitializers_KernelWithinGlorotLimitAndZeroBias()
    {
        var dense = new Dense(300);
        dense.EnsureBuilt([1, 200]);
        double limit = Math.Sqrt(6.0 / 500);
        var k = dense.Kernel.Value.ToArray<float>();
        Assert.That(k.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(limit).And.GreaterThan(0.98 * limit));
        Assert.That(dense.Bias!.Value.ToArray<float>(), Is.All.EqualTo(0f));
    }

    [Test]
    public void Build_SameGlobalSeed_SameKernel_OtherSeed_DifferentKernel()
    {
        float[] Kernel(long seed)
        {
            RandomGenerator.SetGlobalSeed(seed);
            var dense = new Dense(4);
            dense.EnsureBuilt([2, 3]);
            return dense.Kernel.Value.ToArray<float>();
        }
        var first = Kernel(42);
        var again = Kernel(42);
        Assert.That(again, Is.EqualTo(first));
        Assert.That(Kernel(43), Is.Not.EqualTo(first));
    }

    [Test]
    public void Apply_WrongLastDimension_ThrowsNamingLayerAndShape()
    {
        var dense = new Dense(10, name: "dense_1");
        dense.Apply(Tensor.Zeros([32, 784]));
        var ex = Assert.Throws<ArgumentException>(() => dense.Apply(Tensor.Zeros([32, 28, 28])));
        Assert.That(ex!.Message, Does.StartWith("Dense 'dense_1' expects inputs whose last dimension is 784, but received shape (32, 28, 28). Add a Flatten layer before it."));
    }

    [Test]
    public void Apply_WrongLastDimensionNotAFlattenCase_NoFlattenHint()
    {
        var dense = new Dense(10, name: "dense_h");
        dense.Apply(Tensor.Zeros([2, 8]));
        var ex = Assert.Throws<ArgumentException>(() => dense.Apply(Tensor.Zeros([2, 5])));
        Assert.That(ex!.Message, Does.StartWith("Dense 'dense_h' expects inputs whose last dimension is 8, but received shape (2, 5).").And.Not.Contain("Flatten"));
    }

    [Test]
    public void Apply_Rank1Input_ThrowsNamingLayerAndShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Dense(2, name: "tiny").Apply(Tensor.Zeros([5])));
        Assert.That(ex!.Message, Does.Contain("Dense 'tiny'").And.Contain("rank at least 2").And.Contain("(5,)"));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void Constructor_NonPositiveUnits_ThrowsArgumentOutOfRangeNamingValue(int units)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Dense(units));
        Assert.That(ex!.ParamName, Is.EqualTo("units"));
        Assert.That(ex.Message, Does.Contain($"units={units}").And.Contain("Dense '"));
    }

    [Test]
    public void Constructor_UnknownActivation_ThrowsListingKnownNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new Dense(2, "swishy"));
        Assert.That(ex!.Message, Does.Contain("'swishy'").And.Contain("relu").And.Contain("softmax"));
    }

    [Test]
    public void Kernel_BeforeBuild_ThrowsInvalidOperation()
    {
        var dense = new Dense(2, name: "early");
        var ex = Assert.Throws<InvalidOperationException>(() => _ = dense.Kernel);
        Assert.That(ex!.Message, Does.Contain("Dense 'early'"));
        Assert.Throws<InvalidOperationException>(() => _ = dense.Bias);
    }

    [Test]
    public void RegularizationLoss_L2OnKernelL1OnBias_IsKerasPenaltySum()
    {
        var dense = new Dense(2, kernelRegularizer: new L2(0.1), biasRegularizer: new L1(0.5));
        dense.EnsureBuilt([1, 2]);
        dense.Kernel.Assign(Matrix(new float[,] { { 1, -2 }, { 3, 0 } }));
        dense.Bias!.Assign(Tensor.FromArray(new float[] { -1, 2 }, 2));
        Assert.That(dense.RegularizationLoss()!.Item<float>(), Is.EqualTo(0.1 * 14 + 0.5 * 3).Within(1e-5));
    }

    [Test]
    public void GetConfig_Defaults_KerasKeysAndInitializerClassNames()
    {
        var config = new Dense(7, name: "d").GetConfig();
        Assert.That(config["units"], Is.EqualTo(7));
        Assert.That(config["activation"], Is.EqualTo("linear"));
        Assert.That(config["use_bias"], Is.EqualTo(true));
        Assert.That(((Dictionary<string, object?>)config["kernel_initializer"]!)["class_name"], Is.EqualTo("GlorotUniform"));
        Assert.That(((Dictionary<string, object?>)config["bias_initializer"]!)["class_name"], Is.EqualTo("Zeros"));
        Assert.That(config["kernel_regularizer"], Is.Null);
    }
}
