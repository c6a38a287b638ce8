using System.Text;

namespace WpBackup.Core.Crypto;

/// <summary>
/// The textual age v1 header: the version line, one or more recipient stanzas (base64 bodies
/// wrapped at 64 columns, always ending with a line shorter than 64, possibly empty), and the
/// "---" line carrying the HMAC of everything before it.
/// </summary>
internal sealed class AgeHeader
{
    private const int ColumnsPerLine = 64;
    private const int BytesPerLine = ColumnsPerLine / 4 * 3;
    private const int MaxHeaderSize = 1024 * 1024;
    private const int MacSize = 32;

    private AgeHeader(IReadOnlyList<AgeStanza> stanzas, byte[] macInput, byte[] mac)
    {
        Stanzas = stanzas;
        MacInput = macInput;
        Mac = mac;
    }

    public IReadOnlyList<AgeStanza> Stanzas { get; }

    /// <summary>The header bytes up to and including "---" (what the MAC covers).</summary>
    public byte[] MacInput { get; }

    public byte[] Mac { get; }

    /// <summary>The complete header for these stanzas, MAC included.</summary>
    public static byte[] Write(IReadOnlyList<AgeStanza> stanzas, ReadOnlySpan<byte> fileKey)
    {
        var text = new StringBuilder(AgeFormat.VersionLine);
        foreach (var stanza in stanzas)
        {
            text.Append("->").Append(' ').Append(stanza.Type);
            foreach (var arg in stanza.Args)
                text.Append(' ').Append(arg);
            text.Append('\n');
            var body = AgeBase64.Encode(stanza.Body);
            int offset = 0;
            for (; body.Length - offset >= ColumnsPerLine; offset += ColumnsPerLine)
                text.Append(body, offset, ColumnsPerLine).Append('\n');
            text.Append(body, offset, body.Length - offset).Append('\n');
        }

        text.Append("---");
        var macInput = Encoding.ASCII.GetBytes(text.ToString());
        var mac = AgePrimitives.HeaderMac(fileKey, macInput);
        return [.. macInput, .. Encoding.ASCII.GetBytes(" " + AgeBase64.Encode(mac) + "\n")];
    }

    /// <summary>Reads and checks the header's grammar; the MAC is verified later, once a file key is known.</summary>
    public static AgeHeader Read(AgeInput input)
    {
        CheckVersionLine(input);
        var reader = new LineReader(input);
        var stanzas = new List<AgeStanza>();
        while (true)
        {
            var line = reader.ReadLine();
            if (line.StartsWith("---", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts[0] != "---" || parts.Length != 2)
                    throw Malformed("its closing '---' line is not '--- ' followed by the MAC");
                if (!AgeBase64.TryDecode(parts[1], out var mac) || mac.Length != MacSize)
                    throw Malformed("its MAC is not a canonical base64 32-byte value");
                if (stanzas.Count == 0)
                    throw Malformed("it has no recipient stanza");
                var macInput = reader.Consumed[..(reader.Consumed.Length - line.Length - 1 + 3)];
                return new AgeHeader(stanzas, macInput, mac);
            }

            if (!line.StartsWith("->", StringComparison.Ordinal))
                throw Malformed("a line is neither a stanza ('->') nor the closing '---' line");
            var args = line.Split(' ');
            if (args[0] != "->" || args.Length < 2 || args.Skip(1).Any(a => !IsArgument(a)))
                throw Malformed("a stanza line is not '->' followed by space-separated printable arguments");
            stanzas.Add(new AgeStanza(args[1], args[2..], ReadBody(reader)));
        }
    }

    private static byte[] ReadBody(LineReader reader)
    {
        var body = new List<byte>();
        while (true)
        {
            var line = reader.ReadLine();
            if (!AgeBase64.TryDecode(line, out var bytes))
                throw Malformed(line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("->", StringComparison.Ordinal)
                    ? "a stanza body does not end with a line shorter than 64 columns"
                    : "a stanza body line is not canonical unpadded base64");
            if (bytes.Length > BytesPerLine)
                throw Malformed("a stanza body line is longer than 64 columns");
            body.AddRange(bytes);
            if (bytes.Length < BytesPerLine)
                return [.. body];
        }
    }

    private static void CheckVersionLine(AgeInput input)
    {
        var start = input.Peek(AgeFormat.ArmorBegin.Length);
        if (AgeFormat.IsAgeFile(start))
        {
            for (int i = 0; i < AgeFormat.VersionLine.Length; i++)
                input.ReadByte();
            return;
        }

        if (start.Length == 0)
            throw new AgeDecryptionException(AgeFailure.NotAgeFile, "The input is empty: not an age file.");
        if (AgeFormat.IsArmored(start))
            throw new AgeDecryptionException(AgeFailure.UnsupportedFormat, "The input is an ASCII-armored age file ('-----BEGIN AGE ENCRYPTED FILE-----'); only binary age files are read. Convert it with 'age -d' or re-encrypt without --armor.");
        if (start.StartsWith(Encoding.ASCII.GetBytes(AgeFormat.VersionPrefix)))
            throw new AgeDecryptionException(AgeFailure.UnsupportedFormat, "The input is an age file of a version other than v1, which this reader does not know.");
        if (AgeFormat.VersionLineBytes.StartsWith(start))
            throw new AgeDecryptionException(AgeFailure.Truncated, "The input ends inside the age version line.");
        throw new AgeDecryptionException(AgeFailure.NotAgeFile, "The input is not an age file: it does not start with 'age-encryption.org/v1'.");
    }

    private static bool IsArgument(string arg) => arg.Length > 0 && arg.All(c => c is >= (char)33 and <= (char)126);

    private static AgeDecryptionException Malformed(string what) =>
        new(AgeFailure.MalformedHeader, $"The age header is malformed: {what}.");

    /// <summary>Reads LF-terminated ASCII lines, keeping every byte consumed (for the MAC), with a size cap.</summary>
    private sealed class LineReader(AgeInput input)
    {
        private readonly List<byte> _consumed = [.. AgeFormat.VersionLineBytes];
        private readonly StringBuilder _line = new();

        public byte[] Consumed => [.. _consumed];

        public string ReadLine()
        {
            _line.Clear();
            while (true)
            {
                int b = input.ReadByte();
                if (b < 0)
                    throw new AgeDecryptionException(AgeFailure.Truncated, "The file ends inside the age header: it was cut short.");
                if (_consumed.Count >= MaxHeaderSize)
                    throw Malformed($"it is larger than {MaxHeaderSize / 1024} KiB");
                _consumed.Add((byte)b);
                if (b == '\n')
                    return _line.ToString();
                if (b < 32 || b > 126)
                    throw Malformed("it holds a byte that is not printable ASCII");
                _line.Append((char)b);
            }
        }
    }
}
