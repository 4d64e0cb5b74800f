package org.pekkogrid.journal;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link OwnerLeaseTest} on PostgreSQL, when GRID_TEST_POSTGRES_URL names a database to use (with
 * GRID_JOURNAL_USER and GRID_JOURNAL_PASSWORD); skipped otherwise. Debian's postgresql-15 serves:
 * {@code initdb}, {@code pg_ctl start} as user postgres, then
 * {@code GRID_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/postgres GRID_JOURNAL_USER=postgres}.
 */
@EnabledIfEnvironmentVariable(named = "GRID_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class OwnerLeasePostgresTest extends OwnerLeaseTest {

    @Override
    JournalDatabase database(Path dataDir) throws Exception {
        return JournalDatabase.from(ConfigFactory.parseMap(Map.of("grid.journal.url", System.getenv("GRID_TEST_POSTGRES_URL")))
            .withFallback(JournalDatabaseTest.config(dataDir)), System.getenv());
    }
}
