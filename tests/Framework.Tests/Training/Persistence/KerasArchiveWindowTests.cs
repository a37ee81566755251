using System.Buffers.Binary;
using System.IO.Compression;
using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Training;
using Framework.Training.Persistence;

namespace Framework.Tests.Training.Persistence;

/// <summary>A stored <c>.keras</c> member is read in place through a window onto the archive file, its zip CRC-32 checked;
/// a deflated member still loads through a copy; a flipped or truncated stored member is refused, naming file and member.</summary>
public class KerasArchiveWindowTests
{
    private const string Weights = "model.weights.h5";

    /// <summary>Large enough (160 KB of weights plus Adam slots) that the window's 64 KiB probe is a strict prefix.</summary>
    private static Sequential Saved(string path)
    {
        RandomGenerator.SetGlobalSeed(5);
        var model = new Sequential([new Dense(200, "relu"), new Dense(3)], inputShape: [200]);
        model.Compile(new Adam(0.01), new MeanSquaredError());
        model.Save(path);
        return model;
    }

    private static float[][] Values(Model model) => [.. model.Weights.Select(w => w.Value.ToArray<float>())];

    private static (long Start, long Length) WindowOf(string path)
    {
        using var archive = KerasArchiveReader.Open(path);
        using var stream = archive.OpenSeekable(Weights);
        Assert.That(stream, Is.InstanceOf<ArchiveMemberWindow>(), "a stored member must be read in place");
        return (((ArchiveMemberWindow)stream).Start, stream.Length);
    }

    /// <summary>Rewrites the archive at <paramref name="path"/> with the weights member last, compressed as asked.</summary>
    private static void Rewrite(string path, CompressionLevel level)
    {
        var members = new List<(string Name, byte[] Bytes)>();
        using (var zip = ZipFile.OpenRead(path))
        {
            foreach (var entry in zip.Entries)
            {
                using var s = entry.Open();
                using var copy = new MemoryStream();
                s.CopyTo(copy);
                members.Add((entry.FullName, copy.ToArray()));
            }
        }
        File.Delete(path);
        using var output = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in members.OrderBy(m => m.Name == Weights))
        {
            using var s = output.CreateEntry(name, level).Open();
            s.Write(bytes);
        }
    }

    [Test]
    public void OpenSeekable_StoredMember_IsAWindowWithTheMembersBytes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.keras");
        var model = Saved(path);
        using (var archive = KerasArchiveReader.Open(path))
        {
            byte[] copied = archive.Read(Weights);
            using var stream = archive.OpenSeekable(Weights);
            Assert.That(stream, Is.InstanceOf<ArchiveMemberWindow>());
            Assert.That(stream.CanSeek && !stream.CanWrite, Is.True);
            using var read = new MemoryStream();
            stream.CopyTo(read);
            Assert.That(read.ToArray(), Is.EqualTo(copied));
            Assert.That(stream.Read(new byte[16]), Is.Zero, "nothing past the member's end");
            stream.Seek(-4, SeekOrigin.End);
            Assert.That(stream.Read(new byte[16]), Is.EqualTo(4));
        }
        Assert.That(Values(Model.Load(path)), Is.EqualTo(Values(model)));
    }

    [Test]
    public void Load_DeflatedMembers_LoadThroughTheCopy()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.keras");
        var model = Saved(path);
        Rewrite(path, CompressionLevel.Optimal);
        using (var archive = KerasArchiveReader.Open(path))
        using (var stream = archive.OpenSeekable(Weights))
            Assert.That(stream, Is.Not.InstanceOf<ArchiveMemberWindow>(), "a deflated member cannot be read in place");
        Assert.That(Values(Model.Load(path)), Is.EqualTo(Values(model)));
    }

    [Test]
    public void Load_FlippedByteInStoredMember_RefusedByTheCrcNamingTheMember()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.keras");
        Saved(path);
        var (start, length) = WindowOf(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[start + length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;
        Assert.That(e.Message, Does.Contain("m.keras").And.Contain(Weights).And.Contain("CRC-32"));
    }

    [Test]
    public void Load_StoredMemberCutShort_RefusedAsTruncated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.keras");
        Saved(path);
        Rewrite(path, CompressionLevel.NoCompression);
        var (start, length) = WindowOf(path);
        // Cut the member's last 4 KiB (more than the central directory after it) and move the end record's pointer to the
        // central directory back by as much: the zip still opens, but the member's claimed bytes run past the file's end.
        const int cut = 4096;
        byte[] bytes = File.ReadAllBytes(path);
        long end = start + length;
        byte[] shorter = [.. bytes.AsSpan(0, (int)end - cut), .. bytes.AsSpan((int)end)];
        var record = shorter.AsSpan(shorter.Length - 22);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record), Is.EqualTo(0x06054b50u), "end of central directory record");
        BinaryPrimitives.WriteUInt32LittleEndian(record[16..], BinaryPrimitives.ReadUInt32LittleEndian(record[16..]) - cut);
        File.WriteAllBytes(path, shorter);
        // The zip reader already refuses to open a member whose data runs past the file ("local file header is corrupt");
        // the window's own bound check stands behind it.
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(path))!;
        Assert.That(e.Message, Does.Contain("m.keras").And.Contain(Weights).And.Contain("corrupt").Or.Contain("truncated"));
    }
}
