using System.Diagnostics;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Training;
using Framework.Tests.Helpers;
using Mnist;

namespace Framework.Tests.Training;

/// <summary>
/// End to end against an independent oracle: ../shared/tools/keras_oracle.py replays Keras-formula Adam training
/// (in float64 NumPy) from our initial checkpoint and compares our final weights, Adam slots and iteration count.
/// </summary>
public class KerasOracleTests
{
    private const int Samples = 1000, Steps = 50, BatchSize = 32;

    [Test, Category("Slow")]
    public void Adam50Steps_MnistMlp_MatchesKerasReplay()
    {
        var python = "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Fail("/usr/bin/python3 is required (.ci/run installs it).");
        string data = RepoPaths.InRepo("../shared/data/mnist");
        var dir = Directory.CreateTempSubdirectory("oracle-");
        try
        {
            RandomGenerator.SetGlobalSeed(1);
            var (x, y) = MnistDataset.Load(data, "t10k");
            var model = new Sequential([new Dense(128, activation: "relu"), new Dense(10)], inputShape: [784]);
            model.Compile(new Adam(learningRate: 1e-3), new SparseCategoricalCrossentropy(fromLogits: true));
            string initial = Path.Combine(dir.FullName, "init");
            string final = Path.Combine(dir.FullName, "final");
            model.SaveWeights(initial);

            // The oracle's schedule: step i takes rows i·B … i·B + B − 1 of the first 1000 samples; when they run
            // out a new epoch starts at row 0, so step 31 is the short batch of 8 rows (Keras fit(shuffle=False)).
            int row = 0;
            for (int step = 0; step < Steps; step++)
            {
                if (row >= Samples) row = 0;
                int count = Math.Min(BatchSize, Samples - row);
                model.TrainOnBatch(x.Slice(row, count), y.Slice(row, count));
                row += count;
            }
            model.SaveWeights(final);

            var (exit, output) = Run(python, RepoPaths.InRepo("../shared/tools/keras_oracle.py"),
                "--initial", initial, "--final", final,
                "--data", Path.Combine(data, "t10k-images-idx3-ubyte.gz"), Path.Combine(data, "t10k-labels-idx1-ubyte.gz"),
                "--limit", $"{Samples}", "--steps", $"{Steps}", "--batch", $"{BatchSize}", "--float64");
            Assert.That(exit, Is.EqualTo(0), output);
            Assert.That(output, Does.Contain("ORACLE OK"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int Exit, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("keras_oracle.py did not finish within 120 s.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
