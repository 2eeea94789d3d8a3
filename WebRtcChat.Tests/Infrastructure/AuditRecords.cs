using Microsoft.Data.Sqlite;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>The audit database of a running server, read as the super administrator's console would.</summary>
public static class AuditRecords
{
    public static List<(string Address, string? Country, string Kind, string Detail, int Count)> Read(TestConfig config, string? kind = null)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(config.DataDirectory, "audit.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT address, country, kind, detail, count FROM attempts WHERE $kind IS NULL OR kind = $kind ORDER BY id";
        command.Parameters.AddWithValue("$kind", (object?)kind ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string?, string, string, int)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        }

        return rows;
    }
}
