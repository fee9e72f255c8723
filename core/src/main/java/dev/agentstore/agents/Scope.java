package dev.agentstore.agents;

import dev.agentstore.AgentStoreException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.postgresql.util.PSQLException;

/** What the classes of this package share for one tenant: context, tenant, time and error helpers. */
final class Scope {

    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    final StoreContext context;
    final DSLContext dsl;
    final String tenant;

    Scope(StoreContext context, TenantId tenant) {
        this.context = Objects.requireNonNull(context, "context");
        this.dsl = context.dsl();
        this.tenant = Objects.requireNonNull(tenant, "tenant").value();
    }

    OffsetDateTime now() {
        return odt(context.clock().instant());
    }

    /** PostgreSQL keeps microseconds; truncating first makes returned values equal to stored ones. */
    static OffsetDateTime odt(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    /** Fails unless the instant is within the years 1 to 9999. */
    static Instant instant(Instant value, String name) {
        Checks.notNull(value, name);
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new InvalidInputException(name + " must be between " + EARLIEST + " and " + LATEST + ", but was " + value);
        }
        return value;
    }

    /** Checks a period [from, to). */
    static void period(Instant from, Instant to) {
        instant(from, "from");
        instant(to, "to");
        if (to.isBefore(from)) {
            throw new InvalidInputException("the period must not end before it starts, but was from " + from + " to " + to);
        }
    }

    static Duration millis(BigDecimal ms) {
        return ms == null ? null
                : Duration.ofNanos(ms.multiply(BigDecimal.valueOf(1_000_000)).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    static Duration millis(Double ms) {
        return ms == null ? null : Duration.ofNanos(Math.round(ms * 1_000_000));
    }

    static long sum(BigDecimal value) {
        return value == null ? 0 : value.longValueExact();
    }

    /**
     * Runs a database call, translating its failure; a foreign key violation becomes a
     * {@link NotFoundException} with {@code missing}'s message when given.
     */
    <T> T run(String what, Supplier<T> body, Supplier<NotFoundException> missing) {
        try {
            return body.get();
        } catch (DataAccessException e) {
            if (missing != null && "23503".equals(SqlErrors.sqlState(e))) {
                NotFoundException nf = missing.get();
                nf.initCause(e);
                throw nf;
            }
            throw SqlErrors.translate(e, what);
        }
    }

    <T> T run(String what, Supplier<T> body) {
        return run(what, body, null);
    }

    /** The constraint a foreign key violation names, or null. */
    static String constraint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
                return p.getServerErrorMessage().getConstraint();
            }
            if (t instanceof SQLException && t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    NotFoundException agentNotFound(AgentId id) {
        return new NotFoundException("no agent '" + id + "' in the registry of tenant '" + tenant
                + "': register it first (agents.register(NewAgent.of(\"" + id + "\"))), or check the id and the tenant");
    }

    NotFoundException versionNotFound(AgentVersionId id) {
        return new NotFoundException("no version " + id.version() + " of agent '" + id.agent() + "' for tenant '" + tenant
                + "': publish a definition first (agents.publish(...)), or check the agent, the number and the tenant");
    }

    NotFoundException runNotFound(RunId id) {
        return new NotFoundException("no run " + id + " for tenant '" + tenant
                + "': it never existed, was deleted (with its session or by retention), or belongs to another tenant");
    }

    static AgentStoreException unexpected(String what, Throwable e) {
        return SqlErrors.translate(e, what);
    }
}
