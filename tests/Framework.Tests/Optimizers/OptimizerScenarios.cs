using Framework.Optimizers;
using Framework.Tensors;
using static Framework.Tests.Optimizers.OptimizerReferenceData;

namespace Framework.Tests.Optimizers;

/// <summary>The optimizers of the reference scenarios and a runner for the quadratic problem they minimise.</summary>
internal static class OptimizerScenarios
{
    public static readonly Dictionary<string, Func<Optimizer>> Create = new()
    {
        ["sgd"] = () => new Sgd(0.1),
        ["sgd_momentum"] = () => new Sgd(0.1, momentum: 0.9),
        ["sgd_nesterov"] = () => new Sgd(0.1, momentum: 0.9, nesterov: true),
        ["sgd_global_clipnorm"] = () => new Sgd(0.1, momentum: 0.5) { GlobalClipNorm = 1.0 },
        ["sgd_exponential_staircase"] = () => new Sgd(new ExponentialDecay(0.1, 3, 0.5, staircase: true)),
        ["sgd_exponential"] = () => new Sgd(new ExponentialDecay(0.1, 3, 0.5), momentum: 0.5),
        ["sgd_cosine_warmup"] = () => new Sgd(new CosineDecay(0.0, 6, alpha: 0.1, warmupTarget: 0.1, warmupSteps: 3)),
        ["adam"] = () => new Adam(0.01),
        ["adam_amsgrad"] = () => new Adam(0.01, beta1: 0.8, beta2: 0.95, amsgrad: true),
        ["adam_clipnorm"] = () => new Adam(0.01) { ClipNorm = 1.0 },
        ["adam_clipvalue"] = () => new Adam(0.01) { ClipValue = 0.5 },
        ["adam_piecewise"] = () => new Adam(new PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01])),
        ["adam_cosine"] = () => new Adam(new CosineDecay(0.05, 6, alpha: 0.2), epsilon: 1e-3),
        ["adamw"] = () => new AdamW(0.01, weightDecay: 0.1),
        ["adamw_amsgrad"] = () => new AdamW(0.01, weightDecay: 0.004, amsgrad: true),
        ["rmsprop"] = () => new RmsProp(0.01),
        ["rmsprop_momentum"] = () => new RmsProp(0.01, rho: 0.8, momentum: 0.5),
        ["rmsprop_centered"] = () => new RmsProp(0.01, centered: true),
        ["rmsprop_centered_momentum"] = () => new RmsProp(0.01, momentum: 0.9, epsilon: 1e-4, centered: true),
        ["adadelta"] = () => new Adadelta(1.0),
        ["adadelta_large_epsilon"] = () => new Adadelta(0.5, rho: 0.8, epsilon: 1e-2),
        ["adadelta_clipvalue"] = () => new Adadelta(1.0, epsilon: 1e-3) { ClipValue = 0.5 },
        ["adagrad"] = () => new Adagrad(0.1),
        ["adagrad_zero_start"] = () => new Adagrad(0.05, initialAccumulatorValue: 0, epsilon: 1e-3),
        ["adamax"] = () => new Adamax(0.01),
        ["adamax_betas"] = () => new Adamax(0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-3),
        ["nadam"] = () => new Nadam(0.01),
        ["nadam_betas"] = () => new Nadam(0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-4),
        ["nadam_piecewise"] = () => new Nadam(new PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01])),
    };

    /// <summary>Scenarios whose update is elementwise (no norm couples the elements).</summary>
    public static IEnumerable<string> Elementwise => Create.Keys.Where(k => !k.Contains("clipnorm", StringComparison.Ordinal));

    public static readonly int[][] Shapes = [[4], [2, 3]];

    /// <summary>Minimises Σ 0.5·k·(w − c)² for <see cref="Steps"/> steps; returns the weights after the first and last.</summary>
    /// <param name="optimizer">The optimizer to run.</param>
    /// <param name="dtype">The variables' dtype.</param>
    /// <param name="repeat">How many times each variable's elements are tiled (to exercise the vectorised path).</param>
    public static (double[][] First, double[][] Last) Run(Optimizer optimizer, DType dtype = DType.Float32, int repeat = 1)
    {
        Tensor Make(float[] values, int[] shape) =>
            Tensor.FromSpan<float>([.. Tile(values, shape, repeat).Select(x => (float)x)], new Shape([.. shape.SkipLast(1), shape[^1] * repeat])).Cast(dtype);
        var variables = InitialWeights.Select((w, i) => new Variable(Make(w, Shapes[i]), $"w{i}")).ToArray();
        var targets = Targets.Select((c, i) => Make(c, Shapes[i])).ToArray();
        var curvatures = Curvatures.Select((k, i) => Make(k, Shapes[i])).ToArray();
        double[][] Snapshot() => [.. variables.Select(v => v.Value.Cast(DType.Float64).ToArray<double>())];
        double[][]? first = null;
        for (int step = 1; step <= Steps; step++)
        {
            using var scope = TensorScope.Begin();
            Tensor[] gradients;
            using (Autograd.NoGrad()) gradients = [.. variables.Select((v, i) => (v.Value - targets[i]) * curvatures[i])];
            optimizer.Apply(gradients, variables);
            if (step == 1) first = Snapshot();
        }
        return (first!, Snapshot());
    }

    /// <summary>Repeats each row's elements <paramref name="repeat"/> times along the last axis (as <see cref="Run"/> does).</summary>
    public static double[] Tile(float[] reference, int[] shape, int repeat)
    {
        int inner = shape[^1], outer = reference.Length / inner;
        return [.. Enumerable.Range(0, outer).SelectMany(r => Enumerable.Range(0, inner * repeat).Select(j => (double)reference[r * inner + j % inner]))];
    }
}
