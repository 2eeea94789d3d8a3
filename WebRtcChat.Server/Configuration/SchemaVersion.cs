using Microsoft.Data.Sqlite;

namespace WebRtcChat.Server.Configuration;

/// <summary>
/// The shape of a SQLite file in the data directory, as a number in <c>PRAGMA user_version</c>. At open, the
/// migrations from the file's version to this build's run in order, each in its own transaction, and are logged; a
/// file from a newer build is refused before anything is written to it, so an upgrade can always be undone by going
/// back. Files from before versioning have version 0, and migration 1 is the schema they already have.
/// </summary>
public static class SchemaVersion
{
    /// <summary>
    /// Opens (creating if need be) a store's file for its lifetime, brings it to <c>migrations.Count</c>, and sets WAL
    /// with <c>synchronous=FULL</c>. No pooling: the file is released on dispose, so a test (or a restart) can reopen or
    /// delete it at once.
    /// </summary>
    public static SqliteConnection OpenStore(string file, IReadOnlyList<string> migrations, ILogger? logger = null) =>
        Open(file, SqliteOpenMode.ReadWriteCreate, connection =>
        {
            Migrate(connection, file, migrations, logger);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
            pragmas.ExecuteNonQuery();
        });

    /// <summary>
    /// Opens a store's file to read it only, without migrating or locking it for writing: for the operator's commands,
    /// next to a running server. No pooling, as for <see cref="OpenStore"/>.
    /// </summary>
    public static SqliteConnection OpenReadOnly(string file) => Open(file, SqliteOpenMode.ReadOnly, _ => { });

    // Unpooled, and disposed again when opening or preparing it fails.
    private static SqliteConnection Open(string file, SqliteOpenMode mode, Action<SqliteConnection> prepare)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = mode,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            prepare(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Brings the file to <c>migrations.Count</c>; migration <c>i</c> takes version <c>i</c> to <c>i + 1</c>.</summary>
    public static void Migrate(SqliteConnection connection, string file, IReadOnlyList<string> migrations, ILogger? logger = null)
    {
        while (true)
        {
            // The version is read inside the (immediate, so writing) transaction: a second process opening the file at
            // the same time waits, then finds the work done.
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = Convert.ToInt64(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
            if (version > migrations.Count)
            {
                throw new InvalidConfigurationException("the data directory", [
                    $"Server.DataDirectory: {file} was written by a newer WebRtcChat (schema {version}; this one knows up to {migrations.Count}). " +
                    "It is left as it is: run the newer version again, or restore the data directory from before the upgrade."]);
            }

            if (version == migrations.Count)
            {
                return;
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = migrations[(int)version] + $"\nPRAGMA user_version = {version + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
            logger?.LogInformation("{File}: schema {From} → {To}", file, version, version + 1);
        }
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
