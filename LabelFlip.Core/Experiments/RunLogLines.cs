namespace LabelFlip.Core.Experiments;

/// <summary>
/// Reads a file line by line (LF-terminated) in fixed memory: a line longer than the buffer grows it, nothing else is
/// kept. A last line without its newline is not returned (a run log's torn last line).
/// </summary>
internal sealed class RunLogLines
{
    private const int InitialBuffer = 1 << 16;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start, _end;
    private long _bufferOffset; // file offset of _buffer[0]
    private bool _endOfFile;

    public RunLogLines(Stream stream, long offset = 0)
    {
        _stream = stream;
        _stream.Position = offset;
        _bufferOffset = offset;
    }

    /// <summary>The next complete line: its file offset and bytes (valid until the next call); false at the end.</summary>
    public bool TryRead(out long offset, out ArraySegment<byte> line)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                offset = _bufferOffset + _start;
                line = new ArraySegment<byte>(_buffer, _start, newline - _start);
                _start = newline + 1;
                return true;
            }
            if (_endOfFile)
            {
                offset = 0;
                line = default;
                return false;
            }
            Fill();
        }
    }

    private void Fill()
    {
        // Keep the partial line: move it to the front, growing the buffer when it fills it.
        int partial = _end - _start;
        if (partial == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, partial);
        _bufferOffset += _start;
        _start = 0;
        _end = partial;
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _endOfFile = true;
        _end += read;
    }
}
