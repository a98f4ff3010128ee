package org.licensim.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The SQL peer: an in-memory DuckDB database holding memberships, group licences, direct
 * assignments and seats; a resolution is one statement that materialises every user's state:
 * a join for sources (R1), an aggregate for one seat per product (R3) and the union of plans
 * (R4), and a window function ranking users by their first demand's R11 key for seats (R10,
 * R11). Extension auto-loading and external access are switched off: no network, no files.
 */
final class DuckDbResolver implements Resolver {
    private static final String RESOLVE = """
            CREATE OR REPLACE TABLE state AS
            WITH demand AS (
                SELECT m.u, l.p, (CAST(1 AS BIGINT) << 60) | (CAST(m.g AS BIGINT) << 24) | m.u AS k, l.mask
                FROM membership m JOIN group_license l ON l.g = m.g
                UNION ALL
                SELECT u, p, k, mask FROM direct_license),
            firsts AS (
                SELECT u, p, min(k) AS k, bit_or(mask) AS mask, count(*) AS n FROM demand GROUP BY u, p),
            ranked AS (
                SELECT u, p, mask, n, row_number() OVER (PARTITION BY p ORDER BY k) AS r FROM firsts)
            SELECT r.u, r.p, r.r <= s.capacity AS granted, r.mask, r.n FROM ranked r JOIN seats s ON s.p = r.p
            """;

    private final Connection connection;

    DuckDbResolver(PeerInput in) {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            Properties props = new Properties();
            props.setProperty("autoinstall_known_extensions", "false");
            props.setProperty("autoload_known_extensions", "false");
            connection = DriverManager.getConnection("jdbc:duckdb:", props);
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE membership (g INTEGER, u INTEGER)");
                s.execute("CREATE TABLE group_license (g INTEGER, p INTEGER, mask BIGINT)");
                s.execute("CREATE TABLE direct_license (u INTEGER, p INTEGER, k BIGINT, mask BIGINT)");
                s.execute("CREATE TABLE seats (p INTEGER, capacity INTEGER)");
            }
            DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
            try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "membership")) {
                for (int i = 0; i < in.groupIndex.length; i++) {
                    for (int u : in.groupMembers[i]) {
                        a.beginRow();
                        a.append(in.groupIndex[i]);
                        a.append(u);
                        a.endRow();
                    }
                }
            }
            try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "group_license")) {
                for (int i = 0; i < in.groupIndex.length; i++) {
                    a.beginRow();
                    a.append(in.groupIndex[i]);
                    a.append(in.groupProduct[i]);
                    a.append(in.groupMask[i]);
                    a.endRow();
                }
            }
            try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "direct_license")) {
                for (int i = 0; i < in.directUser.length; i++) {
                    a.beginRow();
                    a.append(in.directUser[i]);
                    a.append(in.directProduct[i]);
                    a.append(in.directOrder[i]);
                    a.append(in.directMask[i]);
                    a.endRow();
                }
            }
            try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "seats")) {
                for (int p = 0; p < in.capacity.length; p++) {
                    a.beginRow();
                    a.append(p);
                    a.append(in.capacity[p]);
                    a.endRow();
                }
            }
            try (Statement s = connection.createStatement()) {
                s.execute("SET enable_external_access = false");
            }
        } catch (SQLException | ClassNotFoundException e) {
            throw new IllegalStateException("DuckDB peer: " + e.getMessage(), e);
        }
    }

    @Override
    public void resolve() {
        try (Statement s = connection.createStatement()) {
            s.execute(RESOLVE);
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB peer: " + e.getMessage(), e);
        }
    }

    @Override
    public long fingerprint() {
        long sum = 0;
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT u, p, granted, mask, n FROM state")) {
            while (r.next()) {
                boolean granted = r.getBoolean(3);
                sum += PeerInput.fingerprint(r.getInt(1), r.getInt(2), granted, granted ? r.getLong(4) : 0,
                        r.getInt(5));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB peer: " + e.getMessage(), e);
        }
        return sum;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB peer: " + e.getMessage(), e);
        }
    }
}
