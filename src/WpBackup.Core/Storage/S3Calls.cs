namespace WpBackup.Core.Storage;

/// <summary>
/// Runs one asynchronous SDK call to its end from synchronous engine code (off any
/// synchronization context) and maps its failure with <see cref="S3Errors"/>. A cancellation
/// asked for by the caller stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal static class S3Calls
{
    public static T Run<T>(S3Location location, string action, string? key, Func<CancellationToken, Task<T>> call, CancellationToken cancel = default)
    {
        try
        {
            return Task.Run(() => call(cancel), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            throw S3Errors.Map(e, location, action, key);
        }
    }
}
