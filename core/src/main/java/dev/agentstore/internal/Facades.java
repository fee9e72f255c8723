package dev.agentstore.internal;

import dev.agentstore.TenantId;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.util.Objects;

/**
 * Creates the capability facades ({@code Conversations}, {@code Documents}, {@code Knowledge},
 * {@code Memory}, {@code Agents}, {@code Erasure}, {@code StoreCounts}) through their package-private
 * {@code (StoreContext, TenantId)} constructors, so that only agentstore itself can construct them: hosts
 * reach a facade through {@code AgentStore} alone. Each constructor is looked up once per class
 * ({@link ClassValue}) and called through a method handle. Access across core's own packages is allowed
 * because they are one module (or, on the class path, one unnamed module). Thread-safe.
 */
public final class Facades {

    private static final ClassValue<MethodHandle> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(StoreContext.class, TenantId.class);
                constructor.setAccessible(true);
                return MethodHandles.lookup().unreflectConstructor(constructor);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(type.getName() + " has no (StoreContext, TenantId) constructor", e);
            }
        }
    };

    private static final ClassValue<MethodHandle> STORE_WIDE = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(StoreContext.class);
                constructor.setAccessible(true);
                return MethodHandles.lookup().unreflectConstructor(constructor);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(type.getName() + " has no (StoreContext) constructor", e);
            }
        }
    };

    private Facades() {
    }

    /**
     * A new store-wide facade (one that spans tenants, e.g. {@code LeaseRecovery}) of the given class.
     *
     * @param type the facade class, with a {@code (StoreContext)} constructor
     * @param context the store context (not scoped to a tenant)
     */
    public static <T> T create(Class<T> type, StoreContext context) {
        Objects.requireNonNull(context, "context");
        try {
            return type.cast(STORE_WIDE.get(type).invoke(context));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create " + type.getSimpleName(), e);
        }
    }

    /**
     * A new facade of the given class for one tenant.
     *
     * @param type the facade class, with a {@code (StoreContext, TenantId)} constructor
     * @param context the store context, already scoped to the tenant
     * @param tenant the tenant
     */
    public static <T> T create(Class<T> type, StoreContext context, TenantId tenant) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(tenant, "tenant");
        try {
            return type.cast(CONSTRUCTORS.get(type).invoke(context, tenant));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create " + type.getSimpleName(), e);
        }
    }
}
