package dev.agentstore.migrations;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the messages of agentstore's Flyway to SLF4J, whatever logging the host uses: never to
 * {@code java.util.logging} or the console, which Flyway falls back to when it finds no SLF4J
 * provider. Flyway's INFO messages (database URL, "successfully validated", "schema is up to date")
 * arrive at DEBUG, so a host logging at INFO sees nothing from a start-up that changes nothing; the
 * store logs one line itself. Warnings and errors keep their level. Loggers keep Flyway's names
 * ({@code org.flywaydb...}): set {@code org.flywaydb} to DEBUG to see every step.
 *
 * <p>Named by {@link AgentStoreMigrations#configure} ({@code loggers(...)}), which is why it is public;
 * Flyway instantiates it. Not meant to be used directly. Thread-safe.
 */
public final class FlywayToSlf4j implements LogCreator {

    /** For Flyway, which creates it by class name. */
    public FlywayToSlf4j() {
    }

    @Override
    public Log createLogger(Class<?> clazz) {
        return new DemotedLog(LoggerFactory.getLogger(clazz));
    }

    private record DemotedLog(Logger logger) implements Log {

        @Override
        public boolean isDebugEnabled() {
            return logger.isDebugEnabled();
        }

        @Override
        public void debug(String message) {
            logger.debug(message);
        }

        @Override
        public void info(String message) {
            logger.debug(message);
        }

        @Override
        public void warn(String message) {
            logger.warn(message);
        }

        @Override
        public void error(String message) {
            logger.error(message);
        }

        @Override
        public void error(String message, Exception e) {
            logger.error(message, e);
        }

        @Override
        public void notice(String message) {
            logger.debug(message);
        }
    }
}
