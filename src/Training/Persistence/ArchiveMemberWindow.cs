using Microsoft.Win32.SafeHandles;

namespace Framework.Training.Persistence;

/// <summary>A read-only, seekable view of <see cref="Length"/> bytes of a file starting at <see cref="Start"/>: a stored
/// (uncompressed) zip member read in place, so the HDF5 reader can seek in it without the member being copied out.</summary>
/// <remarks>Reads are positional (<see cref="RandomAccess"/>), so they never move the position of the archive's own
/// <see cref="FileStream"/>, which the zip reader keeps using. The handle belongs to that stream: the window must be disposed
/// before the archive is.</remarks>
internal sealed class ArchiveMemberWindow : Stream
{
    private const int BlockSize = 4096;
    private readonly SafeFileHandle _file;
    private readonly byte[] _block = new byte[BlockSize];
    private long _position;
    private long _blockStart = -1;
    private int _blockLength;

    /// <summary>A window onto <paramref name="length"/> bytes of <paramref name="file"/> from offset <paramref name="start"/>.</summary>
    public ArchiveMemberWindow(SafeFileHandle file, long start, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _file = file;
        Start = start;
        Length = length;
    }

    /// <summary>The offset in the file of the window's first byte.</summary>
    public long Start { get; }

    /// <inheritdoc/>
    public override long Length { get; }

    /// <inheritdoc/>
    public override bool CanRead => !_file.IsClosed;

    /// <inheritdoc/>
    public override bool CanSeek => !_file.IsClosed;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Reads of less than <see cref="BlockSize"/> bytes (the HDF5 reader parses its metadata a few bytes at a time) are
    /// served from one cached block, as <see cref="FileStream"/>'s buffer serves them, instead of one system call each; larger
    /// reads go straight from the file into the caller's buffer.</remarks>
    public override int Read(Span<byte> buffer)
    {
        if (_position >= Length || buffer.IsEmpty) return 0;
        int count = (int)Math.Min(buffer.Length, Length - _position);
        int read;
        if (count >= BlockSize)
        {
            read = RandomAccess.Read(_file, buffer[..count], Start + _position);
        }
        else
        {
            if (_blockStart < 0 || _position < _blockStart || _position + count > _blockStart + _blockLength)
            {
                _blockStart = _position;
                _blockLength = RandomAccess.Read(_file, _block.AsSpan(0, (int)Math.Min(BlockSize, Length - _position)), Start + _position);
            }
            read = (int)Math.Min(count, _blockStart + _blockLength - _position);
            _block.AsSpan((int)(_position - _blockStart), read).CopyTo(buffer);
        }
        _position += read;
        return read;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("An archive member window is read-only.");

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("An archive member window is read-only.");
}
