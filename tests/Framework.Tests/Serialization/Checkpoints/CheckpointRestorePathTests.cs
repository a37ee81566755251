using System.Runtime.InteropServices;
using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Tests.Serialization.Checkpoints;

/// <summary>The restore path: verify pass, direct read into the variables, both on <see cref="Threading.MaxThreads"/> threads.</summary>
public class CheckpointRestorePathTests
{
    private int _savedMaxThreads;

    [SetUp]
    public void SetUp() => _savedMaxThreads = Threading.MaxThreads;

    [TearDown]
    public void TearDown() => Threading.MaxThreads = _savedMaxThreads;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void Read_EmptyScalarMultiChunkAndOddDtypes_RestoresEveryValue(int threads)
    {
        Threading.MaxThreads = threads;
        using var dir = new TempDirectory();
        var saved = Variables(seed: 1);
        new Checkpoint(Named(saved)).Write(dir.File("ckpt"));

        var fresh = Variables(seed: 2);
        new Checkpoint(Named(fresh)).Read(dir.File("ckpt")).AssertConsumed();

        foreach (var (a, b) in saved.Zip(fresh))
            Assert.That(Bytes(b), Is.EqualTo(Bytes(a)), a.Name);
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Read_CorruptLastChunkOfOneValue_ThrowsNamingFileAndKeyAndAssignsNothing(int threads)
    {
        Threading.MaxThreads = threads;
        using var dir = new TempDirectory();
        var saved = Variables(seed: 1);
        new Checkpoint(Named(saved)).Write(dir.File("ckpt"));
        string data = dir.File("ckpt.data-00000-of-00001");
        using (var reader = new TensorBundleReader(dir.File("ckpt")))
        {
            var entry = reader.GetEntry("big/.ATTRIBUTES/VARIABLE_VALUE");
            Corrupt(data, entry.Offset + entry.Size - 3);
        }

        var fresh = Variables(seed: 2);
        var before = fresh.Select(Bytes).ToList();
        var e = Assert.Throws<InvalidDataException>(() => new Checkpoint(Named(fresh)).Read(dir.File("ckpt")));
        Assert.That(e!.Message, Does.Contain(data).And.Contain("big/.ATTRIBUTES/VARIABLE_VALUE"));
        Assert.That(fresh.Select(Bytes), Is.EqualTo(before), "nothing is assigned when any CRC fails");
    }

    [TestCase(1)]
    [TestCase(2)]
    public void VerifyAll_TwoShardsSecondTruncatedAfterOpen_NamesThatShardAndItsFirstKey(int threads)
    {
        Threading.MaxThreads = threads;
        using var dir = new TempDirectory();
        string prefix = dir.File("bundle");
        using (var writer = new TensorBundleWriter(prefix, shardCount: 2))
        {
            writer.Add<float>("a", new Shape(100_000), new float[100_000], shard: 0);
            writer.Add<float>("b", new Shape(100_000), new float[100_000], shard: 1);
            writer.Add<float>("c", new Shape(100_000), new float[100_000], shard: 1);
            writer.Add<float>("empty", new Shape(0, 3), [], shard: 1);
            writer.Finish();
        }
        using var reader = new TensorBundleReader(prefix);
        reader.VerifyAll(reader.Entries);
        string second = prefix + ".data-00001-of-00002";
        using (var stream = new FileStream(second, FileMode.Open)) stream.SetLength(10);

        var e = Assert.Throws<InvalidDataException>(() => reader.VerifyAll(reader.Entries));
        Assert.That(e!.Message, Does.Contain(second).And.Contain("'b'").And.Contain("truncated"));
    }

    [Test]
    public void MatchThenAssign_FileReplacedByRenameInBetween_AssignsTheValuesThatWereVerified()
    {
        using var dir = new TempDirectory();
        var first = Variables(seed: 1);
        new Checkpoint(Named(first)).Write(dir.File("ckpt"));
        var fresh = Variables(seed: 3);
        var status = Checkpoint.MatchObject(new Checkpoint(Named(fresh)), dir.File("ckpt"));

        new Checkpoint(Named(Variables(seed: 2))).Write(dir.File("ckpt"));
        status.AssignMatched().AssertConsumed();

        foreach (var (a, b) in first.Zip(fresh))
            Assert.That(Bytes(b), Is.EqualTo(Bytes(a)), $"{a.Name}: the verified file, still open, is the one assigned");
    }

    [Test]
    public void MatchThenAssign_FileCorruptedInPlaceInBetween_ChecksTheCrcAgainAndThrows()
    {
        using var dir = new TempDirectory();
        new Checkpoint(Named(Variables(seed: 1))).Write(dir.File("ckpt"));
        string data = dir.File("ckpt.data-00000-of-00001");
        var status = Checkpoint.MatchObject(new Checkpoint(Named(Variables(seed: 2))), dir.File("ckpt"));

        long offset;
        using (var reader = new TensorBundleReader(dir.File("ckpt")))
            offset = reader.GetEntry("big/.ATTRIBUTES/VARIABLE_VALUE").Offset + 1000;
        var written = File.GetLastWriteTimeUtc(data);
        Corrupt(data, offset);
        // A writer that rewrites a file in place changes its modification time; set it apart explicitly, as filesystems
        // or kernels with coarse timestamps might give the same tick.
        File.SetLastWriteTimeUtc(data, written.AddSeconds(2));

        var e = Assert.Throws<InvalidDataException>(() => status.AssignMatched());
        Assert.That(e!.Message, Does.Contain(data).And.Contain("big/.ATTRIBUTES/VARIABLE_VALUE").And.Contain("CRC32C"));
    }

    [Test]
    public void MatchThenAssign_FileTruncatedInPlaceInBetween_ThrowsNamingTheKey()
    {
        using var dir = new TempDirectory();
        new Checkpoint(Named(Variables(seed: 1))).Write(dir.File("ckpt"));
        string data = dir.File("ckpt.data-00000-of-00001");
        var status = Checkpoint.MatchObject(new Checkpoint(Named(Variables(seed: 2))), dir.File("ckpt"));

        using (var stream = new FileStream(data, FileMode.Open)) stream.SetLength(100);

        var e = Assert.Throws<InvalidDataException>(() => status.AssignMatched());
        Assert.That(e!.Message, Does.Contain(data).And.Contain("truncated"));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void ParallelEntries_FailuresAtSeveralIndices_RunsAllAndRethrowsTheLowest(int threads)
    {
        Threading.MaxThreads = threads;
        var ran = new int[10];
        var e = Assert.Throws<InvalidDataException>(() => ParallelEntries.Run(10, i => i, i =>
        {
            Interlocked.Increment(ref ran[i]);
            if (i is 3 or 7) throw new InvalidDataException($"entry {i}");
        }));
        Assert.That(e!.Message, Is.EqualTo("entry 3"));
        Assert.That(ran, Is.All.EqualTo(1));
    }

    [Test]
    public void ParallelEntries_NoEntries_DoesNothing() =>
        Assert.DoesNotThrow(() => ParallelEntries.Run(0, _ => throw new InvalidOperationException(), _ => throw new InvalidOperationException()));

    private static List<Variable> Variables(int seed)
    {
        var random = new Random(seed);
        float[] big = new float[300_000];   // more than one 1 MiB read chunk
        foreach (ref float f in big.AsSpan()) f = random.NextSingle();
        return
        [
            new Variable(Tensor.FromSpan<float>(big, new Shape(600, 500)), "big", trainable: false),
            new Variable(Tensor.Zeros(new Shape(0, 3)), "empty", trainable: false),
            new Variable(Tensor.Scalar(random.NextInt64(), DType.Int64), "step", trainable: false),
            new Variable(Tensor.FromArray(new[] { seed == 1, true, false }), "flags", trainable: false),
            new Variable(Tensor.FromArray(new[] { random.NextDouble(), random.NextDouble() }), "pair", trainable: false),
        ];
    }

    private static (string, Trackable)[] Named(List<Variable> variables) => [.. variables.Select(v => (v.Name, (Trackable)v))];

    private static byte[] Bytes(Variable v) => v.DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(v.Value.ToArray<float>().AsSpan()).ToArray(),
        DType.Float64 => MemoryMarshal.AsBytes(v.Value.ToArray<double>().AsSpan()).ToArray(),
        DType.Int64 => MemoryMarshal.AsBytes(v.Value.ToArray<long>().AsSpan()).ToArray(),
        _ => MemoryMarshal.AsBytes(v.Value.ToArray<bool>().AsSpan()).ToArray(),
    };

    private static void Corrupt(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x5A));
    }
}
