package dev.agentstore;

import java.util.List;

/**
 * The database role agentstore connects as lacks a privilege it needs: to migrate (create the schema,
 * create tables in it) or at run time (use the schema, read and write its tables, execute its
 * functions). Thrown by {@link AgentStore.Builder#build()} and {@link AgentStore#migrate()} before
 * anything is changed. The message names the role, each missing privilege and the statements to run;
 * {@link #grants()} gives the statements alone, e.g. for an ops page.
 */
public class MissingPrivilegeException extends SchemaValidationException {

    private static final long serialVersionUID = 1L;

    /** The database role that lacks the privileges. */
    private final String role;
    /** The statements that grant them. */
    private final List<String> grants;

    /**
     * Creates the missing privilege exception.
     *
     * @param role the role lacking privileges
     * @param message what is missing and what to run
     * @param grants the SQL statements that give the privileges, to be run by an owner or superuser
     */
    public MissingPrivilegeException(String role, String message, List<String> grants) {
        super(message);
        this.role = role;
        this.grants = List.copyOf(grants);
    }

    /**
     * The database role that lacks the privileges.
     *
     * @return the database role that lacks the privileges
     */
    public String role() {
        return role;
    }

    /**
     * The statements that grant what is missing (run as the schema's owner or a superuser), in order.
     *
     * @return the statements that grant what is missing
     */
    public List<String> grants() {
        return grants;
    }
}
