namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);

    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Subtract(a, b);

    /// <summary>Element-wise product with broadcasting (not a matrix product: see <see cref="MatMul(Tensor)"/>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Multiply(a, b);

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Divide(a, b);

    /// <summary>Element-wise negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor operator +(Tensor a, double b) => Add(a, ScalarLike(a, b));

    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor operator +(double a, Tensor b) => Add(ScalarLike(b, a), b);

    /// <summary>Subtracts a scalar from every element.</summary>
    public static Tensor operator -(Tensor a, double b) => Subtract(a, ScalarLike(a, b));

    /// <summary>Subtracts every element from a scalar.</summary>
    public static Tensor operator -(double a, Tensor b) => Subtract(ScalarLike(b, a), b);

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => Multiply(a, ScalarLike(a, b));

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => Multiply(ScalarLike(b, a), b);

    /// <summary>Divides every element by a scalar.</summary>
    public static Tensor operator /(Tensor a, double b) => Divide(a, ScalarLike(a, b));

    /// <summary>Divides a scalar by every element.</summary>
    public static Tensor operator /(double a, Tensor b) => Divide(ScalarLike(b, a), b);
}
