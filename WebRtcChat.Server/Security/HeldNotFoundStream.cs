using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace WebRtcChat.Server.Security;

/// <summary>
/// A response body that, once the status is known to be 404 or 400, keeps what is written to itself, so the response
/// never starts and the gate can answer with the bland 404 instead. SignalR answers an unknown connection id with
/// its own 404 text ("No Connection with that ID") and a request without one with a 400 ("Connection ID
/// required"), and the circuit's disconnect endpoint answers a missing id with an empty 400: each would tell a
/// prober what runs here. Any other status passes straight through, from the first byte on, so WebSockets, long
/// polling and negotiation are untouched.
/// </summary>
public sealed class HeldNotFoundStream(IHttpResponseBodyFeature inner, HttpResponse response) : Stream, IHttpResponseBodyFeature
{
    private PipeWriter? _writer;
    private bool? _passThrough;

    /// <summary>True when a 404 or 400 body was held back (and the response has not started).</summary>
    public bool Held => _passThrough == false;

    /// <inheritdoc />
    public Stream Stream => this;

    /// <inheritdoc />
    public PipeWriter Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    private bool PassThrough => _passThrough ??= response.StatusCode is not (StatusCodes.Status404NotFound or StatusCodes.Status400BadRequest);

    /// <inheritdoc />
    public void DisableBuffering() => inner.DisableBuffering();

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        PassThrough ? inner.StartAsync(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        PassThrough ? inner.SendFileAsync(path, offset, count, cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }

        if (PassThrough)
        {
            await inner.CompleteAsync();
        }
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        if (PassThrough)
        {
            inner.Stream.Write(buffer, offset, count);
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        PassThrough ? inner.Stream.WriteAsync(buffer, offset, count, cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        PassThrough ? inner.Stream.WriteAsync(buffer, cancellationToken) : ValueTask.CompletedTask;

    /// <inheritdoc />
    public override void Flush()
    {
        if (PassThrough)
        {
            inner.Stream.Flush();
        }
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        PassThrough ? inner.Stream.FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
}
