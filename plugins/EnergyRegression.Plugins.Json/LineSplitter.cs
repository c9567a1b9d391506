namespace EnergyRegression.Plugins.Json;

/// <summary>
/// Splits a stream into lines without loading it: a growable byte window refilled from the stream.
/// Accepts LF and CRLF, a last line without newline, and a UTF-8 byte-order mark at the start.
/// </summary>
internal sealed class LineSplitter : IDisposable
{
    /// <summary>Longest accepted line: a file without newlines must not exhaust memory.</summary>
    public const int MaxLineBytes = 256 << 20;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;        // first byte of the next line in _buffer
    private int _end;          // end of valid data in _buffer
    private int _searched;     // bytes after _start already known to contain no '\n'
    private long _bufferOffset; // file offset of _buffer[0]
    private bool _eof;
    private bool _atFileStart = true;

    public LineSplitter(Stream stream, long startOffset = 0, long startLine = 0)
    {
        _stream = stream;
        if (startOffset > 0)
        {
            _stream.Seek(startOffset, SeekOrigin.Begin);
            _bufferOffset = startOffset;
            _atFileStart = false;
        }
        LineNumber = startLine;
    }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>File offset of the byte after the line last returned (where the next line starts).</summary>
    public long NextLineOffset => _bufferOffset + _start;

    /// <summary>The next line without its line ending; valid until the next call. False at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start + _searched, _end - _start - _searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int length = _searched + newline;
                line = TrimCarriageReturn(_buffer.AsSpan(_start, length));
                _start += length + 1;
                _searched = 0;
                LineNumber++;
                return true;
            }
            _searched = _end - _start;
            if (_eof)
            {
                if (_start < _end)
                {
                    line = TrimCarriageReturn(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    _searched = 0;
                    LineNumber++;
                    return true;
                }
                line = default;
                return false;
            }
            Fill();
        }
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private void Fill()
    {
        // Move the partial line to the front, grow the window if the line fills it, read more.
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new InvalidDataException($"A line is longer than {MaxLineBytes >> 20} MiB.");
            }
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return;
        }
        if (_atFileStart)
        {
            _atFileStart = false;
            if (_buffer.AsSpan(0, read).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                // UTF-8 byte-order mark: not part of the first line (columns count from after it).
                _start = 3;
            }
        }
        _end += read;
    }

    /// <summary>True when the line holds only spaces, tabs and carriage returns.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r"u8) < 0;

    public void Dispose() => _stream.Dispose();
}
