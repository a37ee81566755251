namespace Framework.Tests.Serialization;

/// <summary>Random structural mutations of a file's bytes for robustness tests.</summary>
internal static class Mutator
{
    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                    break;
                default:
                    // Extreme values, as in a varint or length field.
                    bytes[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                    break;
            }
        }
        return [.. bytes];
    }
}
