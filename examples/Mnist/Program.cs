// The reference MNIST script: 784 → Dense(128, relu) → Dropout(0.2) → Dense(10), Adam, sparse categorical
// cross-entropy from logits, accuracy, batch 32, validation every epoch; exits 1 below --target-accuracy.
//   dotnet run -c Release --project examples/Mnist -- --data ../shared/data/mnist --epochs 5 --target-accuracy 0.95
using System.Globalization;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;
using Mnist;

var options = new Dictionary<string, string>
{
    ["--data"] = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "framework", "mnist"),
    ["--epochs"] = "5", ["--batch-size"] = "32", ["--seed"] = "42", ["--target-accuracy"] = "0", ["--threads"] = "0",
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!options.ContainsKey(args[i])) return Fail($"Unknown option '{args[i]}'. Options: {string.Join(", ", options.Keys)}.");
    options[args[i]] = args[i + 1];
}
string data = options["--data"];
int epochs = int.Parse(options["--epochs"], CultureInfo.InvariantCulture);
int batchSize = int.Parse(options["--batch-size"], CultureInfo.InvariantCulture);
double target = double.Parse(options["--target-accuracy"], CultureInfo.InvariantCulture);
if (int.Parse(options["--threads"], CultureInfo.InvariantCulture) is > 0 and var threads) Threading.MaxThreads = threads;
RandomGenerator.SetGlobalSeed(long.Parse(options["--seed"], CultureInfo.InvariantCulture));

if (!MnistDataset.Has(data, "t10k")) await MnistDataset.DownloadAsync(data);
Tensor xTrain, yTrain, xVal, yVal;
if (MnistDataset.Has(data, "train"))
{
    (xTrain, yTrain) = MnistDataset.Load(data, "train");
    (xVal, yVal) = MnistDataset.Load(data, "t10k");
}
else
{
    // Only the 10,000 test digits are available: train on the first 8,000, validate on the last 2,000.
    var (x, y) = MnistDataset.Load(data, "t10k");
    (xTrain, yTrain, xVal, yVal) = (x.Slice(0, 8000), y.Slice(0, 8000), x.Slice(8000, 2000), y.Slice(8000, 2000));
}
Console.WriteLine($"Training on {xTrain.Shape[0]} digits, validating on {xVal.Shape[0]} ({data}).");

var model = new Sequential(
[
    new Dense(128, activation: "relu"),
    new Dropout(0.2),
    new Dense(10),
], inputShape: [784]);
model.Compile(new Adam(learningRate: 0.001), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
model.Summary();

var history = model.Fit(xTrain, yTrain, epochs: epochs, batchSize: batchSize, validationData: (xVal, yVal));
var results = model.Evaluate(xVal, yVal);
Console.WriteLine($"Validation: loss {results["loss"]:0.0000}, accuracy {results["accuracy"]:0.0000}");
if (results["accuracy"] < target) return Fail($"Validation accuracy {results["accuracy"]:0.0000} is below the target {target}.");
return 0;

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}
