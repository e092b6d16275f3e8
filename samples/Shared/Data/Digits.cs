using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;

namespace AutoGrad.Samples.Data;

/// <summary>
/// The UCI handwritten digits (1,797 8×8 images, labels 0..9; see samples/data/README.md), loaded only after every
/// check passed: the file exists, decompresses, has 1,797 rows of 64 integers in 0..16 and a label in 0..9, and its
/// SHA-256 is the published one. Anything else is a <see cref="DataFileException"/>, never a half-read data set.
/// </summary>
public sealed class Digits
{
    /// <summary>Pixels per image (8×8).</summary>
    public const int Features = 64;

    /// <summary>Classes (the digits 0..9).</summary>
    public const int Classes = 10;

    /// <summary>Images in the file.</summary>
    public const int Rows = 1797;

    /// <summary>The largest pixel value (a count of set pixels in a 4×4 block).</summary>
    public const int MaxPixel = 16;

    /// <summary>SHA-256 of the file as shipped (also in digits.csv.gz.sha256 beside it).</summary>
    public const string Sha256 = "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a";

    private Digits(byte[] pixels, int[] labels)
    {
        Pixels = pixels;
        Labels = labels;
    }

    /// <summary>Raw pixel values 0..16, <see cref="Rows"/> × <see cref="Features"/>, row-major.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>The label of each row.</summary>
    public ReadOnlyMemory<int> Labels { get; }

    /// <summary>Where the samples find the file by default: <c>data/digits.csv.gz</c> next to their binaries.</summary>
    public static string DefaultPath => System.IO.Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>Loads and checks the file.</summary>
    /// <exception cref="DataFileException">The file is missing, unreadable or not the published data.</exception>
    public static Digits Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Trim().Length == 0) throw new DataFileException(path, "the path is empty");
        string full = System.IO.Path.GetFullPath(path);
        byte[] compressed = ReadAll(full);
        string text = Decompress(full, compressed);
        var pixels = new byte[Rows * Features];
        var labels = new int[Rows];
        Parse(full, text, pixels, labels);
        // Checked last so that a truncated or edited file gets the specific message above rather than "hash differs".
        string hash = Convert.ToHexStringLower(SHA256.HashData(compressed));
        if (hash != Sha256)
        {
            throw new DataFileException(full, $"its SHA-256 is {hash} but the published file's is {Sha256}, so it is not the published file (its rows, or only its compression, differ: the sample checks the file as published)");
        }
        return new Digits(pixels, labels);
    }

    private static byte[] ReadAll(string path)
    {
        if (Directory.Exists(path))
        {
            throw new DataFileException(path, "it is a folder, not a file");
        }
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "the file does not exist");
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, $"it cannot be read ({e.Message})", e);
        }
    }

    private static string Decompress(string path, byte[] compressed)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            return reader.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, $"it is not a valid gzip file ({e.Message})", e);
        }
    }

    private static void Parse(string path, string text, byte[] pixels, int[] labels)
    {
        int row = 0;
        foreach (ReadOnlySpan<char> rawLine in text.AsSpan().EnumerateLines())
        {
            ReadOnlySpan<char> line = rawLine.Trim();
            if (line.IsEmpty) continue;
            if (row == Rows)
            {
                throw new DataFileException(path, $"it has more than {Rows} rows");
            }
            ParseRow(path, line, row, pixels.AsSpan(row * Features, Features), out labels[row]);
            row++;
        }
        if (row != Rows)
        {
            throw new DataFileException(path, $"it has {row} rows but the digits data has {Rows} (the file is truncated)");
        }
    }

    private static void ParseRow(string path, ReadOnlySpan<char> line, int row, Span<byte> pixels, out int label)
    {
        label = -1;
        int column = 0;
        foreach (Range r in line.Split(','))
        {
            if (column > Features)
            {
                throw new DataFileException(path, $"row {row + 1} has more than {Features + 1} values ({Features} pixels and a label)");
            }
            ReadOnlySpan<char> cell = line[r].Trim();
            if (!int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                throw new DataFileException(path, $"row {row + 1}, column {column + 1} is '{cell.ToString()}', not a non-negative integer");
            }
            if (column < Features)
            {
                if (value > MaxPixel)
                {
                    throw new DataFileException(path, $"row {row + 1}, pixel {column + 1} is {value}, outside 0..{MaxPixel}");
                }
                pixels[column] = (byte)value;
            }
            else if (value >= Classes)
            {
                throw new DataFileException(path, $"row {row + 1} has label {value}, outside 0..{Classes - 1}");
            }
            else
            {
                label = value;
            }
            column++;
        }
        if (column != Features + 1)
        {
            throw new DataFileException(path, $"row {row + 1} has {column} values, expected {Features + 1} ({Features} pixels and a label)");
        }
    }
}
