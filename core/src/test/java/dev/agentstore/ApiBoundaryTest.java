package dev.agentstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The supported API never hands out or asks for an unsupported type: no public or protected constructor,
 * method or field of a public class outside {@code dev.agentstore.internal} mentions a type of that
 * package. Facades are therefore constructed only by agentstore ({@code AgentStore.documents(tenant)}, ...).
 */
class ApiBoundaryTest {

    private static final String INTERNAL = "dev.agentstore.internal.";

    private static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(AgentStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.startsWith(INTERNAL) || name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, AgentStore.class.getClassLoader());
                if (isVisible(type)) {
                    classes.add(type);
                }
            }
        }
        return classes;
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers()) && !Modifier.isProtected(c.getModifiers())) {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic();
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean internal(Class<?> type) {
        while (type.isArray()) {
            type = type.getComponentType();
        }
        return type.getName().startsWith(INTERNAL);
    }

    @Test
    void no_public_member_of_the_api_takes_or_returns_an_internal_type() throws Exception {
        List<Class<?>> classes = apiClasses();
        assertThat(classes).as("API classes found").hasSizeGreaterThan(100).contains(AgentStore.class);
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : classes) {
            List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            executables.addAll(List.of(type.getDeclaredMethods()));
            for (Executable e : executables) {
                if (!isVisible(e.getModifiers()) || e.isSynthetic()) {
                    continue;
                }
                for (Class<?> p : e.getParameterTypes()) {
                    if (internal(p)) {
                        leaks.add(type.getName() + "." + e.getName() + " takes " + p.getName());
                    }
                }
                if (e instanceof Method m && internal(m.getReturnType())) {
                    leaks.add(type.getName() + "." + m.getName() + " returns " + m.getReturnType().getName());
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (isVisible(f.getModifiers()) && internal(f.getType())) {
                    leaks.add(type.getName() + "." + f.getName() + " is a " + f.getType().getName());
                }
            }
            if (type.getSuperclass() != null && internal(type.getSuperclass())) {
                leaks.add(type.getName() + " extends " + type.getSuperclass().getName());
            }
        }
        assertThat(leaks).as("public API members that mention dev.agentstore.internal").isEmpty();
    }

    @Test
    void the_facades_have_no_public_constructor() {
        for (Class<?> facade : List.of(dev.agentstore.conversation.Conversations.class,
                dev.agentstore.conversation.ConversationHistory.class, dev.agentstore.document.Documents.class,
                dev.agentstore.document.DocumentPipeline.class, dev.agentstore.knowledge.Knowledge.class,
                dev.agentstore.memory.Memory.class, dev.agentstore.agents.Agents.class,
                dev.agentstore.lifecycle.Erasure.class, dev.agentstore.lifecycle.StoreCounts.class)) {
            for (Constructor<?> c : facade.getDeclaredConstructors()) {
                assertThat(isVisible(c.getModifiers())).as(c.toString()).isFalse();
            }
        }
    }
}
