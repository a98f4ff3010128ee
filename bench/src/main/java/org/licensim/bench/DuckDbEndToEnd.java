package org.licensim.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The end-to-end SQL peer: DuckDB reads a snapshot file itself ({@code read_json}), resolves
 * what the in-memory DuckDB peer resolves (R1 sources, R3 one seat per user and product, R10
 * capacity, R11 order of first demand: direct assignments in their order, then group demands by
 * group then user position) and writes one JSON line per user with its products and whether
 * each was granted. No plan masks: the simplified resolution a data engineer would write, for
 * snapshots of the bench tenants' shape (products named by skuPartNumber, as the bench writes
 * them; read_json's inferred structs have only the fields the file has). As a
 * program, for whole-process timing: {@code java -cp bench/target/benchmarks.jar
 * org.licensim.bench.DuckDbEndToEnd SNAPSHOT OUT}.
 */
public final class DuckDbEndToEnd {
    private DuckDbEndToEnd() {
    }

    static String sql(Path snapshot, Path out) {
        String in = snapshot.toAbsolutePath().toString().replace("'", "''");
        String to = out.toAbsolutePath().toString().replace("'", "''");
        return """
                CREATE TEMP TABLE snap AS SELECT users, groups, assignments, subscribedSkus
                    FROM read_json('%s', maximum_object_size = 2147483647);
                CREATE TEMP TABLE u AS SELECT unnest(users).id AS id, generate_subscripts(users, 1) AS ui FROM snap;
                CREATE TEMP TABLE g AS SELECT unnest(groups).id AS id, unnest(groups).members AS members,
                    generate_subscripts(groups, 1) AS gi FROM snap;
                CREATE TEMP TABLE a AS SELECT unnest(assignments).groupId AS gid, unnest(assignments).userId AS uid,
                    unnest(assignments).skuId AS sku, generate_subscripts(assignments, 1) AS ai FROM snap;
                CREATE TEMP TABLE seats AS SELECT unnest(subscribedSkus).skuPartNumber AS sku,
                    unnest(subscribedSkus).prepaidUnits.enabled AS capacity FROM snap;
                CREATE TEMP TABLE m AS SELECT gi, unnest(members) AS uid FROM g;
                COPY (
                    WITH demand AS (
                        SELECT u.ui, a.sku, (CAST(1 AS BIGINT) << 60) | (CAST(g.gi AS BIGINT) << 24) | u.ui AS k
                        FROM m JOIN g ON g.gi = m.gi JOIN a ON a.gid = g.id JOIN u ON u.id = m.uid
                        UNION ALL
                        SELECT u.ui, a.sku, a.ai AS k FROM a JOIN u ON u.id = a.uid),
                    firsts AS (SELECT ui, sku, min(k) AS k FROM demand GROUP BY ui, sku),
                    ranked AS (SELECT ui, sku, row_number() OVER (PARTITION BY sku ORDER BY k) AS r FROM firsts)
                    SELECT u.id, list({'sku': r.sku, 'granted': r.r <= s.capacity} ORDER BY r.sku) AS licences
                    FROM ranked r JOIN seats s ON s.sku = r.sku JOIN u ON u.ui = r.ui
                    GROUP BY u.id
                ) TO '%s' (FORMAT JSON);
                """.formatted(in, to);
    }

    /** Reads {@code snapshot}, resolves and writes {@code out}; returns nothing, as the process would. */
    static void run(Path snapshot, Path out) {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            Properties props = new Properties();
            props.setProperty("autoinstall_known_extensions", "false");
            props.setProperty("autoload_known_extensions", "false");
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:", props); Statement s = c.createStatement()) {
                for (String statement : sql(snapshot, out).split(";\n")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }
        } catch (SQLException | ClassNotFoundException e) {
            throw new IllegalStateException("DuckDB end-to-end peer: " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) throws Exception {
        BenchArgs.main("DuckDbEndToEnd", "DuckDbEndToEnd SNAPSHOT OUT", args, 2, 2,
                () -> run(BenchArgs.input("SNAPSHOT", args[0]), BenchArgs.output("OUT", args[1])));
    }
}
