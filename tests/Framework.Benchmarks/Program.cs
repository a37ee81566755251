using BenchmarkDotNet.Running;

namespace Framework.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project tests/Framework.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks BenchmarkDotNet's switcher selects from the arguments.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
