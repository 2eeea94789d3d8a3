using System.Buffers.Text;
using System.Security.Cryptography;
using WebRtcChat.Server.Configuration;

namespace WebRtcChat.Server.WebPush;

/// <summary>
/// The server's VAPID key pair (RFC 8292): a P-256 key generated once into the data directory
/// (<see cref="FileName"/>, readable only by the service's user, like the generated certificate) and reused. Every
/// browser subscribes with its public half, so a new key (the file removed) makes every stored subscription useless:
/// <see cref="PushSubscriptionStore"/> then drops them.
/// </summary>
public sealed class VapidKeys
{
    /// <summary>The key's file name in the data directory (PKCS#8 PEM).</summary>
    public const string FileName = "vapid-private-key.pem";

    private VapidKeys(string publicKey, string privateKey)
    {
        PublicKey = publicKey;
        PrivateKey = privateKey;
    }

    /// <summary>The public key as browsers take it (<c>applicationServerKey</c>): base64url of the uncompressed point.</summary>
    public string PublicKey { get; }

    /// <summary>The private scalar, base64url, as <c>Lib.Net.Http.WebPush</c> takes it. Never logged, never sent.</summary>
    internal string PrivateKey { get; }

    /// <summary>Reads the key from the data directory, generating it there first if there is none.</summary>
    public static VapidKeys LoadOrCreate(string dataDirectory)
    {
        var file = Path.Combine(DataDirectory.Ensure(dataDirectory), FileName);
        using var key = ECDsa.Create();
        if (File.Exists(file))
        {
            try
            {
                key.ImportFromPem(File.ReadAllText(file));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new InvalidConfigurationException("the data directory", [
                    $"Server.DataDirectory: {file} is not a PEM private key. Restore it, or remove it to have a new one made " +
                    "(every device must then turn its alerts on again)."]);
            }
        }
        else
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            DataDirectory.WriteSecret(file, key.ExportPkcs8PrivateKeyPem());
        }

        var parameters = key.ExportParameters(includePrivateParameters: true);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value || parameters.D is not { Length: 32 } d)
        {
            throw new InvalidConfigurationException("the data directory", [
                $"Server.DataDirectory: {file} is not a P-256 key. Remove it to have a new one made (every device must then turn its alerts on again)."]);
        }

        byte[] point = [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
        return new VapidKeys(Base64Url.EncodeToString(point), Base64Url.EncodeToString(d));
    }
}
