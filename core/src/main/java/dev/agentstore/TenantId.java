package dev.agentstore;

import dev.agentstore.internal.Checks;
import java.util.Objects;

/**
 * The tenant every row belongs to. Every capability is reached for one tenant
 * ({@code store.conversations(TenantId.of("acme"))}) and never sees another tenant's rows.
 *
 * @param value 1 to 200 characters, not blank, no control characters
 */
public record TenantId(String value) {

    /** The longest tenant id accepted. */
    public static final int MAX_LENGTH = 200;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the value is null, blank, too long or has control characters
     */
    public TenantId {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("tenant id must not be " + (value == null ? "null" : "blank"));
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInputException("tenant id must be at most " + MAX_LENGTH + " characters, but has " + value.length());
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("tenant id must not contain control characters");
        }
        Checks.wellFormed(value, "tenant id");
    }

    /**
     * The tenant with this id.
     *
     * @return the tenant with this id
     */
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }

    static TenantId require(TenantId tenant) {
        return Objects.requireNonNull(tenant, "tenant");
    }
}
