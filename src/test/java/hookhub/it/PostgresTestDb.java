package hookhub.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server .ci/run starts (.ci/postgres.sh), given to tests as HOOKHUB_TEST_PG_URL. Each test gets a
 * schema of its own, so hubs of different tests never see each other's events.
 */
public final class PostgresTestDb {

    private PostgresTestDb() {
    }

    public static String url() {
        String url = System.getenv("HOOKHUB_TEST_PG_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "HOOKHUB_TEST_PG_URL is not set: start one with eval \"$(.ci/postgres.sh start)\" (.ci/run does)");
        return url;
    }

    public static String user() {
        String user = System.getenv("HOOKHUB_TEST_PG_USER");
        return user == null ? "hookhub" : user;
    }

    /** A JDBC URL whose tables live in a new, empty schema. */
    public static String freshSchemaUrl() {
        String url = url();
        String schema = "t_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
        try (Connection c = DriverManager.getConnection(url, user(), "");
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema on " + url, e);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
