using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Data;

/// <summary>
/// Reads labelled numeric data from CSV files: every column a number except one label column.
/// </summary>
/// <remarks>
/// <para><b>Format.</b> RFC 4180 records (<see cref="CsvOptions.Delimiter"/>, CRLF/LF/CR line breaks, any field
/// may be quoted, "" inside quotes for a quote); empty lines are skipped; UTF-8 unless a byte-order mark says
/// otherwise. A header is decided by <see cref="CsvOptions.Header"/> (see <see cref="CsvHeaderMode.Detect"/>
/// for the rule). Every record must have as many fields as the first.</para>
/// <para><b>Features.</b> Every cell outside the label column must be a finite number in the invariant
/// culture (<see cref="NumberStyles.Float"/>: optional sign, decimal point, exponent, surrounding spaces),
/// parsed straight to the nearest float. There are no missing values: an empty cell is an error.</para>
/// <para><b>Labels.</b> Any non-empty text, compared exactly. If every training label is a number, classes are
/// the distinct numeric values in ascending numeric order ("2" before "10"; "1" and "1.0" are one class, named as
/// first written); otherwise the distinct strings in ordinal (UTF-16 code unit) order. Class c is named
/// <see cref="LabelledData.ClassNames"/>[c]. The training rows must hold at least 2 classes; a test label must
/// be one of the training classes.</para>
/// <para><b>Errors.</b> A missing file is a <see cref="FileNotFoundException"/>; a file that breaks these rules is
/// a <see cref="CsvFormatException"/> with the file, 1-based line and column, and what is wrong, on one line.
/// Bad options are an <see cref="ArgumentException"/> naming <c>options</c>.</para>
/// </remarks>
public static class CsvDataSource
{
    /// <summary>Reads one CSV file as the training pool; <see cref="LabelledData.Test"/> is null.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">How to read it; null for the defaults.</param>
    public static LabelledData Load(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options = Check(options);
        CsvTable table = ReadTable(path, options);
        ClassMap classes = ClassMap.FromTraining(table, path);
        return Finish(table.ToDataset(classes, path), test: null, classes, table, options);
    }

    /// <summary>Reads a training file and a separate test file with the same columns.</summary>
    /// <param name="trainPath">The training CSV file.</param>
    /// <param name="testPath">The test CSV file: as many columns, the same header if both have one, and only
    /// labels that occur in the training file.</param>
    /// <param name="options">How to read both; null for the defaults.</param>
    public static LabelledData Load(string trainPath, string testPath, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(trainPath);
        ArgumentException.ThrowIfNullOrEmpty(testPath);
        options = Check(options);
        CsvTable train = ReadTable(trainPath, options);
        CsvTable test = ReadTable(testPath, options);
        if (test.ColumnCount != train.ColumnCount)
            throw new CsvFormatException(testPath, test.FirstLine, 0, $"has {test.ColumnCount} columns; the training file {trainPath} has {train.ColumnCount}.");
        if (train.Header is not null && test.Header is not null && !train.Header.SequenceEqual(test.Header))
            throw new CsvFormatException(testPath, test.FirstLine, 0, $"its header ({string.Join(", ", test.Header)}) differs from the training file's ({string.Join(", ", train.Header)}).");
        if (test.LabelColumn != train.LabelColumn)
            throw new CsvFormatException(testPath, test.FirstLine, test.LabelColumn + 1, $"the label column is column {test.LabelColumn + 1}; in the training file {trainPath} it is column {train.LabelColumn + 1}.");
        ClassMap classes = ClassMap.FromTraining(train, trainPath);
        return Finish(train.ToDataset(classes, trainPath), test.ToDataset(classes, testPath), classes, train, options);
    }

    /// <summary>Reads one CSV file and splits it at random into training and test rows (<see cref="TrainTestSplit"/>).</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="trainFraction">Share of rows for training, in (0, 1); both parts must get at least one row.</param>
    /// <param name="random">The stream the split is drawn from.</param>
    /// <param name="options">How to read it; null for the defaults. Standardisation uses the training rows only.</param>
    public static LabelledData Load(string path, double trainFraction, RandomSource random, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(random);
        options = Check(options);
        CsvTable table = ReadTable(path, options);
        ClassMap classes = ClassMap.FromTraining(table, path);
        TrainTestSplit split = TrainTestSplit.Create(table.ToDataset(classes, path), random, trainFraction);
        return Finish(split.Train, split.Test, classes, table, options);
    }

    private static CsvOptions Check(CsvOptions? options)
    {
        options ??= new CsvOptions();
        if (options.Delimiter is '"' or '\r' or '\n')
            throw new ArgumentException($"The delimiter cannot be a quote, CR or LF; it is U+{(int)options.Delimiter:X4}.", nameof(options));
        if (options.LabelColumnName is not null && options.LabelColumnIndex is not null)
            throw new ArgumentException("Set LabelColumnName or LabelColumnIndex, not both.", nameof(options));
        if (options.LabelColumnIndex is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.LabelColumnIndex, "LabelColumnIndex must be ≥ 0 (0-based), or null for the last column.");
        if (options.LabelColumnName is { Length: 0 })
            throw new ArgumentException("LabelColumnName cannot be empty.", nameof(options));
        if (options.LabelColumnName is not null && options.Header == CsvHeaderMode.Absent)
            throw new ArgumentException("A label column name needs a header; Header is Absent.", nameof(options));
        if (!Enum.IsDefined(options.Header))
            throw new ArgumentOutOfRangeException(nameof(options), options.Header, "Header must be Detect, Present or Absent.");
        return options;
    }

    private static LabelledData Finish(Dataset train, Dataset? test, ClassMap classes, CsvTable table, CsvOptions options)
    {
        FeatureStandardization? standardization = null;
        if (options.Standardize)
        {
            standardization = FeatureStandardization.Fit(train);
            train = standardization.Apply(train);
            test = test is null ? null : standardization.Apply(test);
        }
        ImmutableArray<string> featureNames = table.Header is null
            ? []
            : [.. table.Header.Where((_, i) => i != table.LabelColumn)];
        return new LabelledData(train, test, classes.Names) { FeatureNames = featureNames, Standardization = standardization };
    }

    private static CsvTable ReadTable(string path, CsvOptions options)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var records = new CsvRecordReader(reader, options.Delimiter, path);
        var fields = new List<string>();
        if (!records.TryRead(fields, out int firstLine))
            throw new CsvFormatException(path, 0, 0, "is empty: it has no header and no data rows.");

        int columns = fields.Count;
        int labelColumn;
        bool hasHeader;
        if (options.LabelColumnName is { } name)
        {
            hasHeader = true;
            labelColumn = fields.IndexOf(name);
            if (labelColumn < 0)
                throw new CsvFormatException(path, firstLine, 0, $"there is no label column named '{name}'; the header is: {string.Join(", ", fields)}.");
        }
        else
        {
            labelColumn = options.LabelColumnIndex ?? columns - 1;
            if (labelColumn >= columns)
                throw new CsvFormatException(path, firstLine, 0, $"there is no label column {labelColumn + 1} (index {labelColumn}): the line has {columns} columns.");
            hasHeader = options.Header switch
            {
                CsvHeaderMode.Present => true,
                CsvHeaderMode.Absent => false,
                _ => fields.Where((_, i) => i != labelColumn).Any(cell => !IsNumber(cell)),
            };
        }
        if (columns < 2)
            throw new CsvFormatException(path, firstLine, 0, "has 1 column; it needs at least one feature column besides the label column.");

        var table = new CsvTable(columns, labelColumn, firstLine, hasHeader ? [.. fields] : null);
        if (!hasHeader)
            table.Add(fields, firstLine, path);
        while (records.TryRead(fields, out int line))
            table.Add(fields, line, path);
        if (table.RowCount == 0)
            throw new CsvFormatException(path, 0, 0, "has a header but no data rows.");
        return table;
    }

    private static bool IsNumber(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value);

    // Shown in messages: long cells are cut so the message stays one readable line.
    private static string Quote(string cell) =>
        "'" + (cell.Length <= 40 ? cell : cell[..37] + "...").ReplaceLineEndings(" ") + "'";

    private sealed class CsvTable(int columnCount, int labelColumn, int firstLine, string[]? header)
    {
        private readonly List<float> _features = [];
        private readonly List<string> _labels = [];
        private readonly List<int> _labelLines = [];

        public int ColumnCount => columnCount;

        public int LabelColumn => labelColumn;

        public int FirstLine => firstLine;

        public string[]? Header => header;

        public int RowCount => _labels.Count;

        public IReadOnlyList<string> Labels => _labels;

        public void Add(List<string> fields, int line, string path)
        {
            if (fields.Count != columnCount)
                throw new CsvFormatException(path, line, 0, $"has {fields.Count} fields; expected {columnCount}, as on line {firstLine}.");
            for (int c = 0; c < columnCount; c++)
            {
                string cell = fields[c];
                if (c == labelColumn)
                {
                    if (cell.Length == 0)
                        throw new CsvFormatException(path, line, c + 1, "the label is empty.");
                    continue;
                }
                if (cell.Length == 0)
                    throw new CsvFormatException(path, line, c + 1, "the cell is empty; every feature must be a number.");
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                    throw new CsvFormatException(path, line, c + 1, $"{Quote(cell)} is not a number.");
                if (!float.IsFinite(value))
                    throw new CsvFormatException(path, line, c + 1, $"{Quote(cell)} is not a finite float.");
                _features.Add(value);
            }
            _labels.Add(fields[labelColumn]);
            _labelLines.Add(line);
        }

        public Dataset ToDataset(ClassMap classes, string path)
        {
            int[] labels = new int[_labels.Count];
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = classes.IndexOf(_labels[i])
                    ?? throw new CsvFormatException(path, _labelLines[i], labelColumn + 1, $"the label {Quote(_labels[i])} is not one of the training classes ({string.Join(", ", classes.Names)}).");
            }
            // Every feature was checked finite and every label comes from the class map.
            return new Dataset([.. _features], labels, columnCount - 1, classes.Names.Length, validate: false);
        }
    }

    private sealed class ClassMap
    {
        private readonly Dictionary<double, int>? _byValue;
        private readonly Dictionary<string, int>? _byName;

        private ClassMap(ImmutableArray<string> names, Dictionary<double, int>? byValue, Dictionary<string, int>? byName)
        {
            Names = names;
            _byValue = byValue;
            _byName = byName;
        }

        public ImmutableArray<string> Names { get; }

        public static ClassMap FromTraining(CsvTable table, string path)
        {
            IReadOnlyList<string> labels = table.Labels;
            ClassMap map;
            if (labels.All(IsNumber))
            {
                // Distinct values, each named by its first spelling, in ascending numeric order.
                var firstSpelling = new Dictionary<double, string>();
                foreach (string label in labels)
                    firstSpelling.TryAdd(ParseNumber(label), label);
                double[] values = [.. firstSpelling.Keys.Order()];
                var byValue = new Dictionary<double, int>();
                for (int c = 0; c < values.Length; c++)
                    byValue[values[c]] = c;
                map = new ClassMap([.. values.Select(v => firstSpelling[v])], byValue, byName: null);
            }
            else
            {
                string[] names = [.. labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
                var byName = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int c = 0; c < names.Length; c++)
                    byName[names[c]] = c;
                map = new ClassMap([.. names], byValue: null, byName);
            }
            if (map.Names.Length < 2)
                throw new CsvFormatException(path, 0, table.LabelColumn + 1, $"has one class only: every label is {Quote(map.Names[0])}; at least 2 classes are needed.");
            return map;
        }

        public int? IndexOf(string label)
        {
            if (_byName is not null)
                return _byName.TryGetValue(label, out int c) ? c : null;
            return IsNumber(label) && _byValue!.TryGetValue(ParseNumber(label), out int v) ? v : null;
        }

        // +0 for -0, so "0" and "-0" are one class as they are one number.
        private static double ParseNumber(string label) =>
            double.Parse(label, NumberStyles.Float, CultureInfo.InvariantCulture) + 0.0;
    }
}
