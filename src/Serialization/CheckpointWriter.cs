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
        using var writer = new TensorBundleWriter(prefix);
        foreach (var node in nodes)
        {
            if (node.Object is Variable variable)
                TensorBytes.Add(writer, node.ValueKey!, variable.Value);
        }
        writer.AddStrings(CheckpointKey.ObjectGraphKey, Shape.Scalar, [graph.ToByteArray()]);
        writer.Finish();
    }
}
