using BenchmarkDotNet.Running;

namespace Framework.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project tests/Framework.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs <see cref="GemmRatio"/> for <c>ratio</c>, <see cref="MlpRatio"/> for <c>mlp</c>, <see cref="BigMlpRatio"/> for <c>big-mlp</c>, <see cref="MlpAbRatio"/> for <c>mlp-ab</c>, <see cref="ConvRatio"/> for <c>conv</c>, <see cref="CnnRatio"/> for <c>cnn</c>, <see cref="CnnStepProfile"/> for <c>cnn-profile</c>, <see cref="ElementwiseRatio"/> for <c>elementwise</c>, <see cref="CheckpointIo"/> for <c>ckpt</c>, <see cref="CheckpointCost"/> for <c>ckpt-cost</c>, <see cref="LstmRatio"/> for <c>lstm</c>, <see cref="KerasIo"/> for <c>keras-io</c>, else the benchmarks BenchmarkDotNet's switcher selects from the arguments.</summary>
    public static void Main(string[] args)
    {
        // "ckpt" needs a subcommand (save, load, ratio); alone it falls through to the switcher, as before.
        if (args.Length > 0 && s_commands.TryGetValue(args[0], out var run) && (args[0] != "ckpt" || args.Length > 1))
        {
            run(args[1..]);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static readonly Dictionary<string, Action<string[]>> s_commands = new()
    {
        ["ratio"] = GemmRatio.Run,
        ["elementwise"] = ElementwiseRatio.Run,
        ["mlp"] = MlpRatio.Run,
        ["big-mlp"] = BigMlpRatio.Run,
        ["mlp-ab"] = MlpAbRatio.Run,
        ["conv"] = ConvRatio.Run,
        ["cnn"] = CnnRatio.Run,
        ["cnn-profile"] = CnnStepProfile.Run,
        ["ckpt-cost"] = CheckpointCost.Run,
        ["ckpt"] = CheckpointIo.Run,
        ["lstm"] = LstmRatio.Run,
        ["keras-io"] = KerasIo.Run,
    };
}
