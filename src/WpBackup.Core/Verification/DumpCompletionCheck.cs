using System.Text;
using WpBackup.Core.Archives;
using WpBackup.Core.Database;

namespace WpBackup.Core.Verification;

/// <summary>
/// A whole dump ends with its tool's completion marker. A dump cut short (the tool killed, a
/// disk full) can still match the hash recorded for it, so the marker is checked on its own.
/// </summary>
internal static class DumpCompletionCheck
{
    public static string? Problem(StagedExtraction staged) =>
        !staged.HasDump || DatabaseDumper.EndsWithCompletionMarker(staged.DumpTail)
            ? null
            : $"{ArchiveLayout.DatabaseEntry} does not end with the dump tool's completion marker ('{DatabaseDumper.CompletionMarker}'): the dump was cut short";
}
