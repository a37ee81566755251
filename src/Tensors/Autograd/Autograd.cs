namespace Framework.Tensors;

/// <summary>Switches gradient recording on this thread.</summary>
/// <example>
/// <code>
/// using (Autograd.NoGrad())
/// {
///     var prediction = model.Apply(x, training: false);   // records nothing, keeps no graph alive
/// }
/// </code>
/// </example>
public static class Autograd
{
    [ThreadStatic] private static int t_disabled;

    /// <summary>Whether ops on this thread currently record gradient functions.</summary>
    public static bool IsEnabled => t_disabled == 0;

    /// <summary>Disables recording until the returned scope is disposed (scopes nest).</summary>
    public static NoGradScope NoGrad()
    {
        t_disabled++;
        return new NoGradScope();
    }

    /// <summary>Ends a <see cref="NoGrad"/> region when disposed.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <summary>Re-enables recording (if no outer region is still active).</summary>
        public void Dispose() => t_disabled--;
    }

    internal static bool Needs(Tensor a) => t_disabled == 0 && a.RequiresGrad;

    internal static bool Needs(Tensor a, Tensor b) => t_disabled == 0 && (a.RequiresGrad || b.RequiresGrad);

    /// <summary>Attaches a gradient function to <paramref name="result"/> and returns it.</summary>
    internal static Tensor Record(Tensor result, string op, Tensor[] inputs, BackwardFunction backward)
    {
        result.RequiresGrad = true;
        result.Node = new GradNode(op, inputs, backward);
        return result;
    }

    /// <summary>Reverse-mode sweep from <paramref name="root"/>: accumulates into <see cref="Tensor.Grad"/> of leaves.</summary>
    /// <remarks>
    /// The graph is ordered by an iterative depth-first search (no recursion, so deep graphs cannot overflow the
    /// stack) whose visiting order depends only on the graph, which makes the summation order of accumulated
    /// gradients, and so the result, deterministic.
    /// </remarks>
    internal static void Backward(Tensor root, Tensor seed)
    {
        var order = TopologicalOrder(root);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = seed };
        using var _ = NoGrad();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var tensor = order[i];
            if (!grads.Remove(tensor, out var grad)) continue;
            if (tensor.Node is null)
            {
                // A gradient whose TensorScope has ended was recycled with the step that made it: start afresh.
                tensor.Grad = tensor.Grad is null || tensor.Grad.IsDisposed ? grad : tensor.Grad + grad;
                continue;
            }
            var node = tensor.Node;
            var inputGrads = node.Backward(grad);
            for (int k = 0; k < node.Inputs.Length; k++)
            {
                var input = node.Inputs[k];
                var g = inputGrads[k];
                if (g is null || !input.RequiresGrad) continue;
                if (g.Shape != input.Shape)
                    throw new InvalidOperationException($"Internal error in the gradient of {node.Op}: input {k} has shape {input.Shape} but its gradient has shape {g.Shape}.");
                grads[input] = grads.TryGetValue(input, out var existing) ? existing + g : g;
            }
        }
    }

    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Tensor, int NextInput)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (tensor, next) = stack.Pop();
            var inputs = tensor.Node?.Inputs ?? [];
            while (next < inputs.Length && (!inputs[next].RequiresGrad || visited.Contains(inputs[next]))) next++;
            if (next == inputs.Length)
            {
                order.Add(tensor);
                continue;
            }
            stack.Push((tensor, next + 1));
            visited.Add(inputs[next]);
            stack.Push((inputs[next], 0));
        }
        return order;
    }
}
