package dev.agentstore.examples.host;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.Target;

/**
 * The host's jOOQ code generation, the recipe for any host: a throw-away database migrated the way the
 * application migrates (agentstore first, then the host's own Flyway), then jOOQ's generator over the
 * host's schema only ({@code public}): agentstore's schema is not generated again (the host joins with
 * {@code dev.agentstore.schema}), Flyway's history and pgvector's ~118 functions are left out, and
 * {@code vector} columns map to {@code float[]} through agentstore's public
 * {@link dev.agentstore.jooq.VectorBinding}.
 *
 * <p>Runs in a forked JVM on the build's JDK (jOOQ 3.21 needs Java 21; Maven may run on 17):
 * {@code mvn -pl examples-host -am -Pregenerate -DskipTests process-test-classes}.
 * {@code HostCodeIsCurrentIT} checks that the committed code still matches the migrations.
 */
public final class HostCodegen {

    /** Package of the host's generated classes. */
    public static final String PACKAGE = "dev.agentstore.examples.host.db";

    private HostCodegen() {
    }

    /**
     * Regenerates into {@code args[0]}.
     *
     * @param args the target source directory
     */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]).toAbsolutePath().normalize();
        generate(target);
        System.out.println("host: generated jOOQ classes into " + target);
    }

    /** Migrates a new database (agentstore, then the host) and generates into {@code target}. */
    public static void generate(Path target) throws Exception {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).embeddingDimension(3)
                .migrateOnStart(true).build()) {
            HostMigrations.migrate(db.dataSource());
        }
        Files.createDirectories(target);
        GenerationTool.generate(new Configuration()
                .withLogging(Logging.WARN)
                .withJdbc(new Jdbc().withDriver("org.postgresql.Driver")
                        .withUrl(db.jdbcUrl()).withUser(db.user()).withPassword(db.password()))
                .withGenerator(new Generator()
                        .withDatabase(new Database()
                                .withName("org.jooq.meta.postgres.PostgresDatabase")
                                // the host's schema only: agentstore's tables come from dev.agentstore.schema
                                .withInputSchema("public")
                                .withExcludes("flyway_schema_history")
                                // pgvector's functions, operators' support routines and aggregates
                                .withIncludeRoutines(false)
                                .withIncludeSequences(false)
                                .withForcedTypes(new ForcedType()
                                        .withUserType("float[]")
                                        .withBinding("dev.agentstore.jooq.VectorBinding")
                                        .withIncludeTypes("vector")))
                        .withGenerate(new Generate()
                                .withRecords(true)
                                .withPojos(false)
                                .withDaos(false)
                                .withJavaTimeTypes(true)
                                .withGeneratedAnnotation(false)
                                .withSources(false)
                                .withFluentSetters(true))
                        .withTarget(new Target()
                                .withPackageName(PACKAGE)
                                .withDirectory(target.toString())
                                .withClean(true))));
    }
}
