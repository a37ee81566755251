namespace Framework.Serialization.Table;

/// <summary>Constants of the LevelDB-style table format used by TensorFlow's <c>.index</c> files (spec 1.3).</summary>
internal static class TableFormat
{
    /// <summary><c>kTableMagicNumber</c>, stored as the last 8 bytes of the file.</summary>
    public const ulong Magic = 0xdb4775248b80fb57;

    /// <summary>Footer length: two padded block handles (40 bytes) and the magic.</summary>
    public const int FooterLength = 48;

    /// <summary>Block trailer: compression type byte and masked CRC32C.</summary>
    public const int TrailerLength = 5;

    /// <summary>Compression type byte of an uncompressed block.</summary>
    public const byte NoCompression = 0;

    /// <summary>Compression type byte of a Snappy block.</summary>
    public const byte SnappyCompression = 1;

    /// <summary>TensorFlow's <c>table::Options::block_size</c> default (256 KiB), used by the bundle writer.</summary>
    public const int BlockSize = 262144;

    /// <summary>TensorFlow's <c>block_restart_interval</c> for data blocks.</summary>
    public const int RestartInterval = 16;
}
