package dev.agentstore.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The SQL scripts of {@value AgentStoreMigrations#LOCATION} when this jar is a named module (on the
 * module path). Flyway finds a {@code classpath:} location through {@code ClassLoader.getResources} of
 * the folder, which a named module never answers ("Unable to resolve location"), so the scripts are
 * listed through the module's own {@link ModuleReader} instead and handed to Flyway as a
 * {@link ResourceProvider}. Names, relative paths and contents are those the class-path scan yields, so
 * the schema history is the same either way. On the class path this class is not used.
 */
final class ModuleMigrations implements ResourceProvider, ClassProvider<JavaMigration> {

    private static final String FOLDER = AgentStoreMigrations.LOCATION.substring("classpath:".length()) + "/";

    private final List<LoadableResource> scripts;

    private ModuleMigrations(List<LoadableResource> scripts) {
        this.scripts = List.copyOf(scripts);
    }

    /** The scripts of this module, or empty when this class is not in a named module of a layer. */
    static Optional<ModuleMigrations> ofThisModule() {
        Module module = ModuleMigrations.class.getModule();
        if (!module.isNamed() || module.getLayer() == null) {
            return Optional.empty();
        }
        ResolvedModule resolved = module.getLayer().configuration().findModule(module.getName())
                .orElseThrow(() -> new IllegalStateException("module " + module.getName() + " is not in its own layer"));
        List<LoadableResource> scripts = new ArrayList<>();
        try (ModuleReader reader = resolved.reference().open(); Stream<String> names = reader.list()) {
            for (String name : names.filter(n -> n.startsWith(FOLDER) && n.endsWith(".sql")).sorted().toList()) {
                try (InputStream in = reader.open(name).orElseThrow()) {
                    scripts.add(new Script(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list agentstore's migrations in module " + module.getName(), e);
        }
        if (scripts.isEmpty()) {
            throw new IllegalStateException("module " + module.getName() + " holds no migrations under " + FOLDER
                    + "; the agentstore-migrations jar is broken, rebuild it");
        }
        return Optional.of(new ModuleMigrations(scripts));
    }

    @Override
    public LoadableResource getResource(String name) {
        for (LoadableResource script : scripts) {
            if (script.getRelativePath().equals(name)) {
                return script;
            }
        }
        return null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return scripts.stream()
                .filter(s -> s.getFilename().startsWith(prefix))
                .filter(s -> Arrays.stream(suffixes).anyMatch(s.getFilename()::endsWith))
                .toList();
    }

    /** agentstore has no Java migrations. */
    @Override
    public Collection<Class<? extends JavaMigration>> getClasses() {
        return List.of();
    }

    private static final class Script extends LoadableResource {
        private final String path;
        private final String text;

        Script(String path, String text) {
            this.path = path;
            this.text = text;
        }

        @Override
        public Reader read() {
            return new StringReader(text);
        }

        @Override
        public String getAbsolutePath() {
            return path;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return null;
        }

        @Override
        public String getFilename() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        @Override
        public String getRelativePath() {
            return path.substring(FOLDER.length());
        }
    }
}
