using System.Text;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Tests.Ssh;

/// <summary>
/// ShellQuote against real shells: the command line built by Join, run with <c>sh -c</c>,
/// must hand printf exactly the original argv and run nothing else.
/// </summary>
public sealed class ShellQuoteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wpb-shellquote-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Canary => Path.Combine(_dir, "canary");

    public static TheoryData<string> Shells()
    {
        var data = new TheoryData<string> { "/bin/sh" };
        foreach (var shell in new[] { "/bin/bash", "/bin/dash" })
        {
            if (File.Exists(shell))
            {
                data.Add(shell);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void Nasty_arguments_arrive_as_one_argv_each_and_run_nothing(string shell)
    {
        string[] nasty =
        [
            "plain",
            "",
            "two words",
            "  leading and trailing  ",
            "tab\there",
            "it's",
            "''",
            "'",
            "\"double\"",
            "back\\slash\\",
            "$HOME",
            "${HOME}",
            "$(touch canary)",
            "`touch canary`",
            "; touch canary",
            "&& touch canary",
            "| touch canary",
            "> canary",
            ";rm -rf ~",
            "line1\nline2",
            "\n",
            "-n",
            "--help",
            "-",
            "ünïcødé ✓ 日本語 🎉",
            "*",
            "?",
            "[a-z]",
            "~",
            "~root",
            "{a,b}",
            "!!",
            "!$",
            "#not a comment",
            "a=b",
            "%s %d",
            "\\'\\\"",
            "\u0001\u001b[31mcontrol\u007f",
        ];

        var received = RunPrintf(shell, nasty);

        Assert.Equal(nasty, received);
        Assert.False(File.Exists(Canary), "an argument was executed by the shell");
    }

    [Fact]
    public void The_first_word_is_never_an_assignment_or_a_tilde()
    {
        // "a=b" as the first word would set a variable instead of running a command.
        Assert.Equal("'a=b'", ShellQuote.Quote("a=b"));
        Assert.Equal("'~'", ShellQuote.Quote("~"));
        var result = ExternalTool.Run("/bin/sh", ["-c", ShellQuote.Join("a=b") + " 2>/dev/null; echo $?"], workingDirectory: _dir);
        Assert.Equal("127\n", result.StandardOutput); // "a=b: not found", not an assignment
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("/var/www/site-1/wp-config.php", "/var/www/site-1/wp-config.php")]
    [InlineData("user@host:2222", "user@host:2222")]
    [InlineData("", "''")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("a b", "'a b'")]
    [InlineData("-rf", "-rf")]
    public void Quote_is_minimal_and_readable(string input, string expected) =>
        Assert.Equal(expected, ShellQuote.Quote(input));

    [Fact]
    public void Join_quotes_each_argument()
    {
        Assert.Equal("tar -cf - -C '/var/www/my site' .", ShellQuote.Join("tar", "-cf", "-", "-C", "/var/www/my site", "."));
        Assert.Equal(string.Empty, ShellQuote.Join([]));
    }

    [Fact]
    public void NUL_cannot_be_quoted()
    {
        Assert.Throws<ArgumentException>(() => ShellQuote.Quote("a\0b"));
    }

    private string[] RunPrintf(string shell, string[] argv)
    {
        var command = ShellQuote.Join(["printf", "%s\\0", .. argv]);
        var result = ExternalTool.Run(shell, ["-c", command], workingDirectory: _dir);
        Assert.True(result.ExitCode == 0, $"{shell} failed: {result.StandardError}");
        var text = Encoding.UTF8.GetString(result.StandardOutputBytes);
        Assert.EndsWith("\0", text);
        return text[..^1].Split('\0');
    }
}
