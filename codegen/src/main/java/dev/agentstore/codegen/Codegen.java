package dev.agentstore.codegen;

import dev.agentstore.migrations.AgentStoreMigrations;
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
import org.jooq.meta.jaxb.Target;

/**
 * Generates core's jOOQ classes from agentstore's migrations: starts a throw-away PostgreSQL with
 * pgvector (the test kit), applies the migrations with the default schema name and dimension, and
 * runs jOOQ's {@link GenerationTool} into the given directory (replacing what is there).
 *
 * <p>Maintainers run it through {@code mvn -pl codegen -am -Pregenerate -DskipTests process-classes};
 * the build checks that the committed code matches (see {@code GeneratedCodeIsCurrentIT}).
 */
public final class Codegen {

    /** Package of the generated classes. */
    public static final String PACKAGE = "dev.agentstore.schema";

    private Codegen() {
    }

    /**
     * Regenerates into {@code args[0]}.
     *
     * @param args the target source directory
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Codegen <target source directory>");
            System.exit(2);
        }
        Path target = Path.of(args[0]).toAbsolutePath().normalize();
        generate(target);
        System.out.println("agentstore: generated jOOQ classes of schema " + AgentStoreMigrations.DEFAULT_SCHEMA
                + " into " + target);
    }

    /** Migrates a new test database and generates into {@code target} (the directory's package folder is replaced). */
    public static void generate(Path target) throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase(
                AgentStoreMigrations.DEFAULT_SCHEMA, AgentStoreMigrations.DEFAULT_EMBEDDING_DIMENSION);
        Files.createDirectories(target);
        GenerationTool.generate(configuration(db, target));
    }

    static Configuration configuration(TestDatabase db, Path target) {
        return new Configuration()
                .withLogging(org.jooq.meta.jaxb.Logging.WARN)
                .withJdbc(new Jdbc()
                        .withDriver("org.postgresql.Driver")
                        .withUrl(db.jdbcUrl())
                        .withUser(db.user())
                        .withPassword(db.password()))
                .withGenerator(new Generator()
                        .withDatabase(new Database()
                                .withName("org.jooq.meta.postgres.PostgresDatabase")
                                .withInputSchema(AgentStoreMigrations.DEFAULT_SCHEMA)
                                // the history table is Flyway's; the generated tsvector column is
                                // only ever read in SQL, and jOOQ knows no tsvector type
                                .withExcludes(AgentStoreMigrations.HISTORY_TABLE + "|chunk\\.content_tsv")
                                .withIncludeExcludeColumns(true)
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
                                .withClean(true)));
    }
}
