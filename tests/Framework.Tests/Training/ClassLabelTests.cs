using Framework.Layers;
using Framework.Tensors;
using Framework.Training;
using Framework.Tests.Helpers;

namespace Framework.Tests.Training;

/// <summary>Class labels outside <c>[0, classes)</c> are refused on every path (probabilities, logits, accuracy, Fit, Evaluate),
/// naming the label, its position and the class count; labels of the other encoding name the loss that takes them.</summary>
public class ClassLabelTests
{
    private static Tensor Probabilities => Tensor.FromArray(new double[] { 0.7, 0.2, 0.1, 0.1, 0.25, 0.65 }, 2, 3);

    private static Tensor Labels(params long[] values) => Tensor.FromArray(values);

    [TestCase(false, 3L)]
    [TestCase(false, -1L)]
    [TestCase(true, 3L)]
    [TestCase(true, -1L)]
    public void SparseCategoricalCrossentropy_LabelOutOfRange_NamesLabelPositionAndClasses(bool fromLogits, long label)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SparseCategoricalCrossentropy(fromLogits).Compute(Labels(0, label), Probabilities))!;
        Assert.That(ex.Message, Does.Contain($"label {label} at position 1").And.Contain("[0, 3)"));
    }

    [Test]
    public void SparseCategoricalCrossentropy_Int32AndFloatLabelsOutOfRange_Refused()
    {
        var loss = new SparseCategoricalCrossentropy();
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.Compute(Tensor.FromArray(new int[] { 5, 0 }), Probabilities));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => loss.Compute(Tensor.FromArray(new float[] { 0, float.NaN }), Probabilities))!;
        Assert.That(ex.Message, Does.Contain("label NaN at position 1"));
    }

    [Test]
    public void SparseAccuracy_LabelOutOfRange_NamesLabelPositionAndClasses()
    {
        var accuracy = new Accuracy(AccuracyKind.Sparse, "sparse_categorical_accuracy");
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => accuracy.Update(Labels(12, 0), Probabilities))!;
        Assert.That(ex.Message, Does.Contain("sparse_categorical_accuracy").And.Contain("label 12 at position 0").And.Contain("[0, 3)"));
    }

    [Test]
    public void SparseLoss_OneHotTargets_NamesCategoricalCrossentropy()
    {
        var oneHot = Tensor.FromArray(new double[] { 1, 0, 0, 0, 0, 1 }, 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Compute(oneHot, Probabilities))!;
        Assert.That(ex.Message, Does.Contain("one-hot").And.Contain("categorical_crossentropy (CategoricalCrossentropy)"));
        var metric = Assert.Throws<ArgumentException>(() => new Accuracy(AccuracyKind.Sparse).Update(oneHot, Probabilities))!;
        Assert.That(metric.Message, Does.Contain("categorical_accuracy"));
    }

    [TestCase(2)]
    [TestCase(1)]
    public void CategoricalLoss_IntegerLabels_NamesSparseCategoricalCrossentropy(int rank)
    {
        var labels = rank == 1 ? Labels(0, 2) : Tensor.FromArray(new long[] { 0, 2 }, 2, 1);
        var ex = Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy().Compute(labels, Probabilities))!;
        Assert.That(ex.Message, Does.Contain("sparse_categorical_crossentropy (SparseCategoricalCrossentropy)"));
        var metric = Assert.Throws<ArgumentException>(() => new Accuracy(AccuracyKind.Categorical).Update(labels, Probabilities))!;
        Assert.That(metric.Message, Does.Contain("sparse_categorical_accuracy"));
    }

    [Test]
    public void FitAndEvaluate_SoftmaxWithLabelsShiftedOutOfRange_Refused()
    {
        var (x, y) = ToyData.Blobs(32);
        var model = new Sequential([new Dense(3, activation: "softmax")], inputShape: [x.Shape[1]]);
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        var shifted = y + 10;
        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, shifted, epochs: 1, batchSize: 8, verbose: 0))!;
        Assert.That(fit.Message, Does.Contain("sparse_categorical_crossentropy").And.Contain("at position 0").And.Contain("[0, 3)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Evaluate(x, shifted, verbose: 0));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Fit_OneLabelOutOfRangeInALaterBatch_NamedWithItsPositionInTheBatch(bool shuffle)
    {
        // Fit reads the labels' range once and vouches for each batch; a range that does not fit must fall back to the full check.
        var (x, y) = ToyData.Blobs(32);
        var labels = y.ToArray<long>();
        labels[21] = 7;
        var model = new Sequential([new Dense(3, activation: "softmax")], inputShape: [x.Shape[1]]);
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, Tensor.FromArray(labels), epochs: 1, batchSize: 8, verbose: 0, shuffle: shuffle))!;
        Assert.That(fit.Message, Does.Contain("label 7 at position").And.Contain("[0, 3)"));
        if (!shuffle) Assert.That(fit.Message, Does.Contain("label 7 at position 5"));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Evaluate(x, Tensor.FromArray(labels), batchSize: 8, verbose: 0));
    }

    [Test]
    public void ClassLabels_VouchForOneTensor_OtherTensorsStillChecked()
    {
        var trusted = Labels(0, 1, 2);
        using (ClassLabels.VouchFor(trusted, ClassLabels.RangeOf(trusted)))
        {
            Assert.DoesNotThrow(() => ClassLabels.Check(trusted.Slice(1, 2), 3, "test"));
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ClassLabels.Check(Labels(0, 5), 3, "test"))!;
            Assert.That(ex.Message, Does.Contain("label 5 at position 1"));
            Assert.Throws<ArgumentOutOfRangeException>(() => ClassLabels.Check(trusted, 2, "test"), "the vouched range does not fit 2 classes");
        }
    }

    [Test]
    public void ClassLabels_InRange_Accepted()
    {
        Assert.DoesNotThrow(() => ClassLabels.Check(Labels(0, 1, 2, 2), 3, "test"));
        Assert.DoesNotThrow(() => ClassLabels.Check(Tensor.FromArray(new int[] { 2, 0 }), 3, "test"));
        Assert.DoesNotThrow(() => ClassLabels.Check(Tensor.FromArray(new double[] { 2, 0 }), 3, "test"));
    }
}
