namespace WebRtcChat.Bench;

/// <summary>
/// The run's temporary directory and everything started in it: disposed in reverse order, then the directory deleted,
/// so that a finished or failed run leaves no process, file or cgroup behind.
/// </summary>
internal sealed class Workspace : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> _owned = new();

    public string Root { get; } = Directory.CreateTempSubdirectory("webrtcchat-bench-").FullName;

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A fresh directory under the root.</summary>
    public string NewDirectory(string name) => Directory.CreateDirectory(PathOf(name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public T Own<T>(T resource) where T : IAsyncDisposable
    {
        _owned.Push(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        while (_owned.TryPop(out var resource))
        {
            try
            {
                await resource.DisposeAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
            {
                await Console.Error.WriteLineAsync("clean-up: " + e.Message);
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"clean-up: {Root} left behind: {e.Message}");
        }
    }
}
