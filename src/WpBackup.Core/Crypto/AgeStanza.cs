namespace WpBackup.Core.Crypto;

/// <summary>One recipient stanza of an age header: "-> type args...", then the base64 body.</summary>
internal sealed record AgeStanza(string Type, IReadOnlyList<string> Args, byte[] Body);
