using Microsoft.Data.Sqlite;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>One statement against a SQLite file of the data directory, as a test looks into or prepares it.</summary>
public static class SqliteFiles
{
    public static void Execute(string file, string sql) => Run(file, sql, command => command.ExecuteNonQuery());

    public static long Scalar(string file, string sql) => Run(file, sql, command => (long)command.ExecuteScalar()!);

    private static T Run<T>(string file, string sql, Func<SqliteCommand, T> run)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return run(command);
    }
}
