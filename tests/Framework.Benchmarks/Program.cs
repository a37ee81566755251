using BenchmarkDotNet.Running;

namespace Framework.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project tests/Framework.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs <see cref="GemmRatio"/> for <c>ratio</c>, <see cref="MlpRatio"/> for <c>mlp</c>, <see cref="ElementwiseRatio"/> for <c>elementwise</c>, <see cref="CheckpointIo"/> for <c>ckpt</c>, <see cref="CheckpointCost"/> for <c>ckpt-cost</c>, else the benchmarks BenchmarkDotNet's switcher selects from the arguments.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ratio")
        {
            GemmRatio.Run(args[1..]);
            return;
        }
        if (args.Length > 0 && args[0] == "elementwise")
        {
            ElementwiseRatio.Run(args[1..]);
            return;
        }
        if (args.Length > 0 && args[0] == "mlp")
        {
            MlpRatio.Run(args[1..]);
            return;
        }
        if (args.Length > 0 && args[0] == "ckpt-cost")
        {
            CheckpointCost.Run(args[1..]);
            return;
        }
        if (args.Length > 1 && args[0] == "ckpt")
        {
            CheckpointIo.Run(args[1..]);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
