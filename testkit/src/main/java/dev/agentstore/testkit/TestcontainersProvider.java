package dev.agentstore.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** Starts a pinned {@code pgvector/pgvector} container when a Docker environment exists. */
final class TestcontainersProvider implements PostgresProvider {

    /** The image, pinned: pgvector 0.8.0 on PostgreSQL 17. */
    static final String IMAGE = "pgvector/pgvector:0.8.0-pg17";

    private final Settings settings;

    TestcontainersProvider(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "Testcontainers (" + IMAGE + ")";
    }

    /**
     * A cheap look for a Docker environment before asking Testcontainers, which logs an error when
     * there is none.
     */
    boolean dockerLikelyPresent() {
        return settings.get("docker.host", "DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    }

    @Override
    public ServerCoordinates start() throws ProviderUnavailableException {
        if (!dockerLikelyPresent()) {
            throw new ProviderUnavailableException(name() + ": no Docker environment (no DOCKER_HOST, no /var/run/docker.sock); start Docker");
        }
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            throw new ProviderUnavailableException(name() + ": Docker is not usable (" + e + "); start Docker", e);
        }
        if (!available) {
            throw new ProviderUnavailableException(name() + ": Testcontainers found no working Docker environment; start Docker");
        }
        try {
            PostgreSQLContainer container = new PostgreSQLContainer(
                    DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres"));
            container.start();
            // Ryuk removes the container when this JVM exits, also when it is killed.
            return new ServerCoordinates(name(), container.getJdbcUrl(), container.getUsername(), container.getPassword());
        } catch (RuntimeException e) {
            throw new ProviderUnavailableException(name() + ": the container did not start (" + e.getMessage() + ")", e);
        }
    }
}
