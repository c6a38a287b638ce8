using System.Management.Automation;
using WpBackup.Core.Errors;
using WpBackup.Core.Retention;

namespace WpBackup.Cmdlets;

/// <summary>Lets a time zone be given as a TimeZoneInfo (Get-TimeZone) or a name: 'Local', 'UTC', 'Europe/Berlin', a Windows id.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TimeZoneAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return value switch
            {
                null or TimeZoneInfo => value,
                string name => RetentionTimeZone.Resolve(name),
                _ => throw new ArgumentTransformationMetadataException($"'{value}' is not a time zone; give 'Local', 'UTC', an id such as 'Europe/Berlin', or Get-TimeZone's output."),
            };
        }
        catch (WpBackupException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
