namespace Framework.Tests.Serialization;

/// <summary>One tensor as listed in a fixture's ORIGIN.md.</summary>
/// <param name="Key">The bundle key.</param>
/// <param name="DataType">The TensorFlow DataType number.</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Shard">The shard id.</param>
/// <param name="Offset">The payload offset.</param>
/// <param name="Size">The payload size.</param>
/// <param name="Crc">The stored masked CRC32C.</param>
/// <param name="Values">All values (small tensors) or the first few (large ones), as printed by the decoder.</param>
/// <param name="Count">The element count stated for <paramref name="Values"/>; null for strings and variants.</param>
/// <param name="Note">The description of string/variant payloads.</param>
public sealed record FixtureTensor(string Key, int DataType, int[] Shape, int Shard, long Offset, long Size, uint Crc,
    double[] Values, int? Count, string Note);

/// <summary>One bundle as listed in a fixture's ORIGIN.md.</summary>
/// <param name="Fixture">The fixture folder name.</param>
/// <param name="Name">The bundle prefix inside the folder.</param>
/// <param name="IndexBytes">The size of the .index file.</param>
/// <param name="Shards">The number of data files.</param>
/// <param name="ByteExactIndex">Whether ORIGIN.md states that a TensorFlow-style re-encoding reproduces the index byte for byte.</param>
/// <param name="Tensors">Every tensor in key order.</param>
public sealed record FixtureBundle(string Fixture, string Name, int IndexBytes, int Shards, bool ByteExactIndex, FixtureTensor[] Tensors)
{
    /// <summary>The bundle prefix on disk.</summary>
    public string Prefix => Path.Combine(FixturePaths.Fixtures, Fixture, Name);

    /// <summary>NUnit display name.</summary>
    public override string ToString() => $"{Fixture}/{Name}";
}

/// <summary>The expectations generated from ORIGIN.md (FixtureCatalog.g.cs) plus lookups.</summary>
internal static partial class FixtureCatalog
{
    /// <summary>The bundles whose index TensorFlow's writer rules reproduce exactly.</summary>
    public static IEnumerable<FixtureBundle> ByteExact => Bundles.Where(b => b.ByteExactIndex);

    /// <summary>A bundle by fixture and prefix name.</summary>
    public static FixtureBundle Get(string fixture, string name) => Bundles.Single(b => b.Fixture == fixture && b.Name == name);
}
