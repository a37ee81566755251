using Framework.Tensors;

namespace Mnist;

/// <summary>Training and validation digits: images as (n, 784) float32 in [0, 1], labels as (n) int64.</summary>
/// <param name="XTrain">Training images.</param>
/// <param name="YTrain">Training labels.</param>
/// <param name="XVal">Validation images.</param>
/// <param name="YVal">Validation labels.</param>
public sealed record MnistSplit(Tensor XTrain, Tensor YTrain, Tensor XVal, Tensor YVal)
{
    /// <summary>The 60,000 training digits against the 10,000 test digits when both files are present; otherwise the first
    /// 8,000 test digits against the last 2,000 (the repository ships only the test digits).</summary>
    public static MnistSplit Load(string directory)
    {
        if (MnistDataset.Has(directory, "train"))
        {
            var (xTrain, yTrain) = MnistDataset.Load(directory, "train");
            var (xVal, yVal) = MnistDataset.Load(directory, "t10k");
            return new MnistSplit(xTrain, yTrain, xVal, yVal);
        }
        var (x, y) = MnistDataset.Load(directory, "t10k");
        return FirstAndLast(x, y, 8000, 2000);
    }

    /// <summary>The first <paramref name="train"/> samples for training and the <paramref name="validation"/> after them for validation
    /// (the tests run every mode on 1,000 digits this way).</summary>
    public static MnistSplit FirstAndLast(Tensor x, Tensor y, int train, int validation) =>
        new(x.Slice(0, train), y.Slice(0, train), x.Slice(train, validation), y.Slice(train, validation));
}
