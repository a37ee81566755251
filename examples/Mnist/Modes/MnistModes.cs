namespace Mnist.Modes;

/// <summary>The scenarios of the saving guide, by the name <c>--mode</c> takes.</summary>
public static class MnistModes
{
    /// <summary>Each mode's entry point: options, data and where to write what it shows.</summary>
    public static IReadOnlyDictionary<string, Func<MnistOptions, MnistSplit, TextWriter, ModeResult>> All { get; } =
        new Dictionary<string, Func<MnistOptions, MnistSplit, TextWriter, ModeResult>>
        {
            ["train"] = TrainMode.Run,
            ["best-weights"] = BestWeightsMode.Run,
            ["save-load"] = SaveLoadMode.Run,
            ["custom-loop"] = CustomLoopMode.Run,
            ["timed"] = TimedMode.Run,
            ["resume"] = ResumeMode.Run,
        };

    /// <summary>Runs the mode <see cref="MnistOptions.Mode"/> names.</summary>
    /// <exception cref="ArgumentException">No mode has that name; the message lists them.</exception>
    public static ModeResult Run(MnistOptions options, MnistSplit data, TextWriter log) =>
        All.TryGetValue(options.Mode, out var run)
            ? run(options, data, log)
            : throw new ArgumentException($"Unknown mode '{options.Mode}'. Modes: {string.Join(", ", All.Keys)}.", nameof(options));
}
