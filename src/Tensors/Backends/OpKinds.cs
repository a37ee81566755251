namespace Framework.Tensors.Backends;

/// <summary>Element-wise functions of one tensor. Every backend implements each of them.</summary>
public enum UnaryOp
{
    /// <summary>−x.</summary>
    Neg,
    /// <summary>|x|.</summary>
    Abs,
    /// <summary>eˣ.</summary>
    Exp,
    /// <summary>ln x.</summary>
    Log,
    /// <summary>√x.</summary>
    Sqrt,
    /// <summary>x².</summary>
    Square,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>−1, 0 or 1 (0 for ±0).</summary>
    Sign,
    /// <summary>1 / x.</summary>
    Reciprocal,
}

/// <summary>Element-wise functions of two broadcast tensors.</summary>
/// <remarks>
/// The comparison ops write <see cref="DType.Bool"/>. The <c>*Grad</c> ops are fused backward formulas
/// (for example <c>ReluGrad(g, x) = x &gt; 0 ? g : 0</c>): one pass over memory instead of three.
/// </remarks>
public enum BinaryOp
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a − b.</summary>
    Sub,
    /// <summary>a · b.</summary>
    Mul,
    /// <summary>a / b (integers: truncated toward zero).</summary>
    Div,
    /// <summary>aᵇ.</summary>
    Pow,
    /// <summary>max(a, b).</summary>
    Maximum,
    /// <summary>min(a, b).</summary>
    Minimum,
    /// <summary>a == b.</summary>
    Equal,
    /// <summary>a != b.</summary>
    NotEqual,
    /// <summary>a &lt; b.</summary>
    Less,
    /// <summary>a ≤ b.</summary>
    LessEqual,
    /// <summary>a &gt; b.</summary>
    Greater,
    /// <summary>a ≥ b.</summary>
    GreaterEqual,
    /// <summary><c>b &gt; 0 ? a : 0</c>: the ReLU gradient given the upstream gradient a and the input b.</summary>
    ReluGrad,
    /// <summary><c>a · b · (1 − b)</c>: the sigmoid gradient given the upstream gradient a and the output b.</summary>
    SigmoidGrad,
    /// <summary><c>a · (1 − b²)</c>: the tanh gradient given the upstream gradient a and the output b.</summary>
    TanhGrad,
}

/// <summary>Reductions along one axis.</summary>
public enum ReduceOp
{
    /// <summary>The sum.</summary>
    Sum,
    /// <summary>The largest element.</summary>
    Max,
    /// <summary>The smallest element.</summary>
    Min,
}

/// <summary>Classifies <see cref="BinaryOp"/> values.</summary>
public static class OpKindExtensions
{
    /// <summary>Whether <paramref name="op"/> compares (and writes <see cref="DType.Bool"/>).</summary>
    public static bool IsComparison(this BinaryOp op) => op is >= BinaryOp.Equal and <= BinaryOp.GreaterEqual;
}
