using System.Buffers;
using Framework.Tensors;
using Google.Protobuf;

namespace Framework.Serialization;

/// <summary>Writes the object graph rooted at a trackable as an object-based TensorFlow checkpoint.</summary>
internal static class CheckpointWriter
{
    /// <summary>Writes every variable of the graph, in node order, then the serialized graph, atomically.</summary>
    public static void Write(Trackable root, string prefix)
    {
        var nodes = ObjectGraphBuilder.Build(root);
        foreach (var node in nodes)
        {
            if (node.Object is TrackableRandomGenerator generator) generator.CaptureState();
        }
        var graph = ObjectGraphBuilder.ToProto(nodes);
        long largest = nodes.Select(n => n.Object is Variable v ? (long)v.Shape.Size * v.DType.SizeInBytes() : 0).DefaultIfEmpty(0).Max();
        // One staging buffer reused for every tensor: fresh memory costs a page fault per 4 KiB on first touch, which
        // dominated saves when each tensor was copied into a new array.
        byte[] staging = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(largest, 1), Array.MaxLength));
        try
        {
            using var writer = new TensorBundleWriter(prefix);
            foreach (var node in nodes)
            {
                if (node.Object is not Variable variable) continue;
                var bytes = staging.AsSpan(0, variable.Shape.Size * variable.DType.SizeInBytes());
                TensorBytes.CopyTo(variable.Value, bytes);
                writer.Add(node.ValueKey!, variable.DType, variable.Shape, bytes);
            }
            writer.AddStrings(CheckpointKey.ObjectGraphKey, Shape.Scalar, [graph.ToByteArray()]);
            writer.Finish();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(staging);
        }
    }
}
