using System.Management.Automation;
using System.Net;
using System.Security;
using WpBackup.Core.Inventory;

namespace WpBackup.Cmdlets;

/// <summary>
/// Looks up the inventory's <c>{secret: NAME}</c> values with PowerShell SecretManagement
/// (<c>Get-Secret -Name NAME -AsPlainText</c>) in the cmdlet's own session, and
/// <c>{env: VARIABLE}</c> in the environment. Only ever called for a site being used.
/// </summary>
internal sealed class SecretManagementResolver(PSCmdlet cmdlet) : EnvironmentSecretResolver
{
    public override string Resolve(SecretReference reference)
    {
        if (reference.Source == SecretSource.Environment)
            return base.Resolve(reference);
        var command = cmdlet.InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias);
        if (command is null)
            throw SecretManagementMissing(reference);
        object? value;
        try
        {
            var script = ScriptBlock.Create("param($Name) Get-Secret -Name $Name -AsPlainText -ErrorAction Stop");
            value = cmdlet.InvokeCommand.InvokeScript(false, script, null, reference.Name).FirstOrDefault()?.BaseObject;
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException)
        {
            throw Unavailable(reference, $"Get-Secret -Name {reference.Name} failed: {e.Message}");
        }
        return value switch
        {
            string { Length: > 0 } text => text,
            SecureString secure => new NetworkCredential("", secure).Password,
            PSCredential credential => credential.GetNetworkCredential().Password,
            _ => throw Unavailable(reference, $"Get-Secret -Name {reference.Name} returned no text (store the password as a string or SecureString)."),
        };
    }
}
