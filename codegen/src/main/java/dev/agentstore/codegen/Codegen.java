package dev.agentstore.codegen;

import dev.agentstore.migrations.AgentStoreMigrations;
import dev.agentstore.migrations.SchemaSnapshot;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.MatcherRule;
import org.jooq.meta.jaxb.MatcherTransformType;
import org.jooq.meta.jaxb.Matchers;
import org.jooq.meta.jaxb.MatchersTableType;
import org.jooq.meta.jaxb.Strategy;
import org.jooq.meta.jaxb.Target;

/**
 * Generates core's jOOQ classes from agentstore's migrations: starts a throw-away PostgreSQL with
 * pgvector (the test kit), applies the migrations with the default schema name and dimension, and
 * runs jOOQ's {@link GenerationTool} into the given directory (replacing what is there). The same run
 * writes the schema snapshot ({@link SchemaSnapshot}), so the two always change together.
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
     * Regenerates the jOOQ classes into {@code args[0]} and the schema snapshot into {@code args[1]}.
     *
     * @param args the target source directory and the snapshot file
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Codegen <target source directory> <schema snapshot file>");
            System.exit(2);
        }
        Path target = Path.of(args[0]).toAbsolutePath().normalize();
        Path snapshot = Path.of(args[1]).toAbsolutePath().normalize();
        String text = generate(target);
        Files.createDirectories(snapshot.getParent());
        Files.writeString(snapshot, text, StandardCharsets.UTF_8);
        System.out.println("agentstore: generated jOOQ classes of schema " + AgentStoreMigrations.DEFAULT_SCHEMA
                + " into " + target + " and its snapshot into " + snapshot);
    }

    /**
     * Migrates a new test database, generates into {@code target} (the directory's package folder is
     * replaced) and returns the schema snapshot of the same database.
     */
    public static String generate(Path target) throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase(
                AgentStoreMigrations.DEFAULT_SCHEMA, AgentStoreMigrations.DEFAULT_EMBEDDING_DIMENSION);
        Files.createDirectories(target);
        GenerationTool.generate(configuration(db, target));
        try (Connection c = db.connect()) {
            return SchemaSnapshot.of(c, db.schema(), db.embeddingDimension());
        }
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
                        // table classes end in "Table" (ConversationMessageTable, DocumentTable, MemoryTable):
                        // the plain names would shadow the API's types (dev.agentstore.document.Document,
                        // dev.agentstore.memory.Memory, ...). Records (DocumentRecord), the Tables.DOCUMENT
                        // constants and the DocumentTable.DOCUMENT instances keep jOOQ's default names.
                        .withStrategy(new Strategy().withMatchers(new Matchers().withTables(new MatchersTableType()
                                .withTableClass(new MatcherRule()
                                        .withExpression("$0_table")
                                        .withTransform(MatcherTransformType.PASCAL)))))
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
