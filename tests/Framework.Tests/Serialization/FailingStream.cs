namespace Framework.Tests.Serialization;

/// <summary>A write-only stream that passes bytes through until a budget is spent, then throws <see cref="IOException"/>.</summary>
internal sealed class FailingStream(Stream inner, long failAfterBytes) : Stream
{
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long allowed = Math.Max(0, Math.Min(buffer.Length, failAfterBytes - _written));
        inner.Write(buffer[..(int)allowed]);
        _written += allowed;
        if (allowed < buffer.Length)
            throw new IOException($"Injected failure after {failAfterBytes} bytes.");
    }

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
