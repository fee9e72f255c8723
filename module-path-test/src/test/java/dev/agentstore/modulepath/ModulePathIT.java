package dev.agentstore.modulepath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * agentstore as a host on the module path sees it: {@link ModulePathHost} runs in a JVM of its own with
 * nothing on the class path, and a host module that imports {@code dev.agentstore.internal} does not
 * compile.
 */
class ModulePathIT {

    /** core, its dependencies and this module's jar: the module path of a host. */
    private static String modulePath() throws IOException {
        String dependencies = Files.readString(Path.of(System.getProperty("modulepath.file")), StandardCharsets.UTF_8).trim();
        return System.getProperty("modulepath.program") + File.pathSeparator + dependencies;
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    @Test
    void a_host_on_the_module_path_migrates_uses_the_api_and_cannot_reach_internal() throws Exception {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();
        List<String> command = new ArrayList<>(List.of(
                javaHome().resolve("bin/java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--module-path", modulePath(),
                "--module", "dev.agentstore.modulepath/dev.agentstore.modulepath.ModulePathHost",
                db.jdbcUrl(), db.user(), db.password()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the module-path program ended").isTrue();
        System.out.print(output);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("ok    core is a named module")
                .contains("ok    migrated from the module path")
                .contains("ok    vector search finds the ingested chunk")
                .contains("ok    a jOOQ query over the exported generated tables")
                .contains("ok    reflection into dev.agentstore.internal is refused")
                .contains("ok    dev.agentstore.internal is not exported")
                .contains("module path: all checks passed")
                .doesNotContain("FAIL");
    }

    @Test
    void a_host_module_importing_internal_does_not_compile_while_the_api_does() throws Exception {
        String internal = """
                package host;
                public class UsesInternal {
                    Object context = dev.agentstore.internal.StoreContext.class;
                }
                """;
        String api = """
                package host;
                public class UsesApi {
                    Object store = dev.agentstore.AgentStore.class;
                    Object table = dev.agentstore.schema.Tables.CONVERSATION_SESSION;
                }
                """;
        assertThat(compile(api)).as("a host using the API compiles").isEmpty();
        assertThat(compile(internal))
                .as("compiling against dev.agentstore.internal")
                .contains("package dev.agentstore.internal is not visible")
                .contains("is declared in module dev.agentstore.core, which does not export it");
    }

    /** Compiles {@code module host { requires dev.agentstore.core; }} with one class; returns the errors. */
    private static String compile(String source) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK (tests run on the toolchain's JDK)").isNotNull();
        Path out = Files.createTempDirectory("module-path-host");
        String name = source.contains("UsesInternal") ? "UsesInternal" : "UsesApi";
        List<JavaFileObject> units = List.of(
                new Source("module-info", "module host { requires dev.agentstore.core; }"),
                new Source("host/" + name, source));
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            // nothing from this test JVM's class path: the host sees the module path only
            files.setLocation(StandardLocation.CLASS_PATH, List.of());
            boolean ok = compiler.getTask(errors, files, null,
                    List.of("--module-path", modulePath(), "-d", out.toString(), "-proc:none", "-Xlint:-requires-automatic"),
                    null, units).call();
            return ok ? "" : errors.toString();
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String path, String code) {
            super(URI.create("string:///" + path + ".java"), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
