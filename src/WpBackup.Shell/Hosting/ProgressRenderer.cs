using System.Management.Automation;

namespace WpBackup.Shell.Hosting;

/// <summary>
/// Shows Write-Progress as one line on standard error that is redrawn in place, and only when
/// standard error is a terminal: redirected logs get no progress at all.
/// </summary>
internal sealed class ProgressRenderer(Terminal terminal)
{
    private readonly List<(long Source, ProgressRecord Record)> _active = [];
    private bool _drawn;

    public void Update(long sourceId, ProgressRecord record)
    {
        if (!terminal.ErrorIsTerminal)
        {
            return;
        }

        lock (terminal.SyncRoot)
        {
            _active.RemoveAll(a => a.Source == sourceId && a.Record.ActivityId == record.ActivityId);
            if (record.RecordType == ProgressRecordType.Completed)
            {
                // Completing an activity completes its children too.
                _active.RemoveAll(a => a.Source == sourceId && a.Record.ParentActivityId == record.ActivityId);
            }
            else
            {
                _active.Add((sourceId, record));
            }

            if (_active.Count == 0)
            {
                ClearLine();
            }
            else
            {
                Draw(_active[^1].Record);
            }
        }
    }

    /// <summary>Removes the progress line so that other text starts at the beginning of a clean line.</summary>
    public void ClearLine()
    {
        lock (terminal.SyncRoot)
        {
            if (_drawn)
            {
                terminal.ErrorControl("\r\e[2K");
                _drawn = false;
            }
        }
    }

    /// <summary>Forgets every activity (the pipeline ended) and clears the line.</summary>
    public void Reset()
    {
        lock (terminal.SyncRoot)
        {
            _active.Clear();
            ClearLine();
        }
    }

    private void Draw(ProgressRecord record)
    {
        string line = Describe(record);
        int width = Math.Max(terminal.Width - 1, 10);
        if (line.Length > width)
        {
            line = line[..(width - 1)] + "…";
        }

        terminal.ErrorControl("\r\e[2K\e[36m" + line + "\e[0m");
        _drawn = true;
    }

    private static string Describe(ProgressRecord record)
    {
        var parts = new List<string> { record.Activity };
        if (!string.IsNullOrEmpty(record.StatusDescription))
        {
            parts.Add(record.StatusDescription);
        }

        if (record.PercentComplete >= 0)
        {
            parts.Add($"{Math.Min(record.PercentComplete, 100)}%");
        }

        if (record.SecondsRemaining >= 0)
        {
            parts.Add($"{TimeSpan.FromSeconds(record.SecondsRemaining):g} left");
        }

        if (!string.IsNullOrEmpty(record.CurrentOperation))
        {
            parts.Add(record.CurrentOperation);
        }

        return Terminal.StripEscapes(string.Join(" | ", parts)).Replace('\n', ' ').Replace('\r', ' ');
    }
}
