using System.Globalization;
using System.Management.Automation;

namespace WpBackup.Cmdlets;

/// <summary>Lets a size be given as a number of bytes (10MB unquoted is one) or as text like '10MB' or '1.5GB'.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ByteSizeAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            null => null,
            int or long or short or byte or uint or ulong => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            double or float or decimal => (long)Math.Round(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text when Sizes.TryParse(text) is { } bytes => bytes,
            _ => throw new ArgumentTransformationMetadataException($"'{value}' is not a size; give bytes (1048576) or a size such as '512KB', '10MB' or '1.5GB'."),
        };
    }
}
