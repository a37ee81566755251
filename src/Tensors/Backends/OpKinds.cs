namespace Framework.Tensors.Backends;

/// <summary>Element-wise functions of one tensor. Every backend implements each of them.</summary>
internal enum UnaryOp
{
    Neg, Abs, Exp, Log, Sqrt, Square, Relu, Sigmoid, Tanh, Sign, Reciprocal,
}

/// <summary>Element-wise functions of two broadcast tensors.</summary>
/// <remarks>
/// The comparison ops write <see cref="DType.Bool"/>. The <c>*Grad</c> ops are fused backward formulas
/// (for example <c>ReluGrad(g, x) = x &gt; 0 ? g : 0</c>): one pass over memory instead of three.
/// </remarks>
internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Maximum, Minimum,
    Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,
    /// <summary><c>b &gt; 0 ? a : 0</c>: the ReLU gradient given the upstream gradient a and the input b.</summary>
    ReluGrad,
    /// <summary><c>a · b · (1 − b)</c>: the sigmoid gradient given the upstream gradient a and the output b.</summary>
    SigmoidGrad,
    /// <summary><c>a · (1 − b²)</c>: the tanh gradient given the upstream gradient a and the output b.</summary>
    TanhGrad,
}

/// <summary>Reductions along one axis.</summary>
internal enum ReduceOp
{
    Sum, Max, Min,
}

internal static class OpKindExtensions
{
    public static bool IsComparison(this BinaryOp op) => op is >= BinaryOp.Equal and <= BinaryOp.GreaterEqual;
}
