package dev.agentstore.testkit;

/** A provider cannot yield a server here; the message says why and how to fix it. */
final class ProviderUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    ProviderUnavailableException(String message) {
        super(message);
    }

    ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
