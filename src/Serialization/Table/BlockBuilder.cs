namespace Framework.Serialization.Table;

/// <summary>Builds one block: prefix-compressed entries followed by the restart array (spec 1.3.2).</summary>
internal sealed class BlockBuilder(int restartInterval)
{
    private readonly List<byte> _buffer = [];
    private readonly List<uint> _restarts = [0];
    private byte[] _lastKey = [];
    private int _counter;

    /// <summary>Whether no entry has been added since the last reset.</summary>
    public bool IsEmpty => _buffer.Count == 0;

    /// <summary>TensorFlow's size estimate, which decides when a data block is flushed.</summary>
    public int CurrentSizeEstimate => _buffer.Count + 4 * _restarts.Count + 4;

    /// <summary>Appends an entry; keys must arrive in strictly increasing bytewise order.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        int shared = 0;
        if (_counter < restartInterval)
        {
            int max = Math.Min(_lastKey.Length, key.Length);
            while (shared < max && _lastKey[shared] == key[shared])
                shared++;
        }
        else
        {
            _restarts.Add((uint)_buffer.Count);
            _counter = 0;
        }
        Coding.WriteVarint(_buffer, (ulong)shared);
        Coding.WriteVarint(_buffer, (ulong)(key.Length - shared));
        Coding.WriteVarint(_buffer, (ulong)value.Length);
        foreach (byte b in key[shared..])
            _buffer.Add(b);
        foreach (byte b in value)
            _buffer.Add(b);
        _lastKey = key.ToArray();
        _counter++;
    }

    /// <summary>Appends the restart array and returns the finished block contents; the builder is reset.</summary>
    public byte[] Finish()
    {
        foreach (uint r in _restarts)
            Coding.WriteFixed32(_buffer, r);
        Coding.WriteFixed32(_buffer, (uint)_restarts.Count);
        byte[] result = [.. _buffer];
        _buffer.Clear();
        _restarts.Clear();
        _restarts.Add(0);
        _lastKey = [];
        _counter = 0;
        return result;
    }
}
