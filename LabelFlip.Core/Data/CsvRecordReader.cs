using System.Text;

namespace LabelFlip.Core.Data;

/// <summary>
/// Splits text into CSV records per RFC 4180: fields separated by the delimiter, records by CRLF, LF or CR; a
/// field in double quotes may hold delimiters, line breaks and doubled quotes ("" for "). Lenient where the RFC
/// leaves room: a quote inside an unquoted field is kept as text, and empty lines are skipped.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly string _path;
    private readonly StringBuilder _field = new();
    private int _line = 1; // the line of the next character

    public CsvRecordReader(TextReader reader, char delimiter, string path)
    {
        _reader = reader;
        _delimiter = delimiter;
        _path = path;
    }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the text.</summary>
    /// <param name="fields">Cleared, then filled with the record's fields.</param>
    /// <param name="line">The 1-based line the record starts on.</param>
    public bool TryRead(List<string> fields, out int line)
    {
        fields.Clear();
        while (_reader.Peek() is '\r' or '\n')
            ConsumeLineBreak();
        line = _line;
        if (_reader.Peek() < 0)
            return false;

        while (true)
        {
            _field.Clear();
            if (_reader.Peek() == '"')
                ReadQuoted(fields.Count + 1);
            else
            {
                for (int c = _reader.Peek(); c >= 0 && c != _delimiter && c != '\r' && c != '\n'; c = _reader.Peek())
                    _field.Append((char)_reader.Read());
            }
            fields.Add(_field.ToString());

            int next = _reader.Peek();
            if (next == _delimiter)
            {
                _reader.Read();
                continue;
            }
            if (next >= 0)
                ConsumeLineBreak();
            return true;
        }
    }

    private void ReadQuoted(int column)
    {
        int startLine = _line;
        _reader.Read();
        while (true)
        {
            int c = _reader.Read();
            if (c < 0)
                throw new CsvFormatException(_path, startLine, column, "a quoted field is not closed before the end of the file.");
            if (c == '"')
            {
                if (_reader.Peek() != '"')
                    break;
                _reader.Read();
            }
            else if (c == '\n' || (c == '\r' && _reader.Peek() != '\n'))
                _line++;
            _field.Append((char)c);
        }
        int after = _reader.Peek();
        if (after >= 0 && after != _delimiter && after != '\r' && after != '\n')
            throw new CsvFormatException(_path, _line, column, $"'{(char)after}' follows a closing quote; expected the delimiter or the end of the line.");
    }

    private void ConsumeLineBreak()
    {
        if (_reader.Read() == '\r' && _reader.Peek() == '\n')
            _reader.Read();
        _line++;
    }
}
